//! Layout tables and data tables. Pages of the 2000s — portals, forums, blogs, many Chinese
//! archives — lay the whole page out with tables: the story is one cell, the menus, the login
//! box and the link bars are others. Such a table is a set of containers, and each cell is read
//! as a block of its own (the story's paragraphs stay paragraphs, a link bar is a link list).
//! A table of data is one block with a row per line and its cells apart.
//!
//! A table lays the page out when it says so (`role="presentation"`) or holds another table or
//! a form in one of its own cells (a forum's table of posts, headed `作者 | 內容`, is one).
//! Otherwise a caption, a summary, header cells or row groups make it data, whatever its cells
//! hold (a wiki's table of films and their plots); without them it lays out when one of its own
//! cells holds prose (text a data cell rarely holds: [`PROSE_CELL_WEIGHT`]). A grid of short
//! cells is data (an ingredient list, a score table, a forum's post header): read as one
//! block, its rows stay together.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::Node;

use crate::elements::attr;
use crate::text::weight;

/// Text in one cell that makes its table a layout table, in weighted characters (a CJK
/// character counts three, as main-content scoring counts): about two sentences, or 66 Chinese
/// characters. Data cells — numbers, names, short labels — stay far below it.
const PROSE_CELL_WEIGHT: usize = 200;

/// Which tables of a document lay the page out. Each table is classified once, with every
/// table nested in it, the first time it is asked about: one pass over the outermost table,
/// however deeply tables nest.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    layout: HashMap<NodeId, bool>,
}

impl Tables {
    /// Whether `table` (a `<table>` element) lays the page out.
    pub(crate) fn is_layout(&mut self, table: NodeRef<'_, Node>) -> bool {
        if let Some(&layout) = self.layout.get(&table.id()) {
            return layout;
        }
        self.classify(table);
        self.layout.get(&table.id()).copied().unwrap_or(false)
    }

    /// Classifies `root` and every table inside it.
    fn classify(&mut self, root: NodeRef<'_, Node>) {
        // The open tables, innermost last.
        let mut open: Vec<(NodeId, Shape)> = Vec::new();
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(el) => {
                        let name = el.name();
                        if name == "table" {
                            if let Some((_, outer)) = open.last_mut() {
                                outer.holds_blocks = true;
                            }
                            let shape = Shape {
                                says_layout: attr(el, "role")
                                    .is_some_and(|r| r.eq_ignore_ascii_case("presentation")),
                                data: attr(el, "summary").is_some(),
                                ..Shape::default()
                            };
                            open.push((node.id(), shape));
                            continue;
                        }
                        let Some((_, shape)) = open.last_mut() else {
                            continue;
                        };
                        match name {
                            "form" => shape.holds_blocks = true,
                            "caption" | "thead" | "tfoot" | "colgroup" | "th" => shape.data = true,
                            _ => {}
                        }
                        if matches!(name, "td" | "th") {
                            shape.cell_text = 0;
                        }
                    }
                    Node::Text(text) => {
                        if let Some((_, shape)) = open.last_mut() {
                            shape.cell_text += weight(text);
                            if shape.cell_text >= PROSE_CELL_WEIGHT {
                                shape.prose = true;
                            }
                        }
                    }
                    _ => {}
                },
                Edge::Close(node) => {
                    if let Node::Element(el) = node.value()
                        && el.name() == "table"
                        && let Some((id, shape)) = open.pop()
                    {
                        self.layout.insert(id, shape.is_layout());
                    }
                }
            }
        }
    }
}

/// What a table's own rows and cells (not those of tables inside it) show.
#[derive(Debug, Default)]
struct Shape {
    /// `role="presentation"`.
    says_layout: bool,
    /// It holds a table or a form in one of its own cells.
    holds_blocks: bool,
    /// One of its own cells holds prose.
    prose: bool,
    /// It has a caption, a summary, header cells or row groups.
    data: bool,
    /// Text weight of the open cell so far.
    cell_text: usize,
}

impl Shape {
    fn is_layout(&self) -> bool {
        self.says_layout || self.holds_blocks || (!self.data && self.prose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn classes(html: &str) -> Vec<bool> {
        let doc = Html::parse_document(html);
        let mut tables = Tables::default();
        let selector = Selector::parse("table").expect("a selector");
        doc.select(&selector)
            .map(|t| tables.is_layout(*t))
            .collect()
    }

    #[test]
    fn tables_of_data_are_not_layout() {
        let plot = "A woman who shot her husband on New Year's Eve in 1946 wishes she could live the year all over again and somehow gets her chance, to futile results.";
        let results = format!(
            "<table><caption>Results</caption><tr><th>Team</th><th>Score</th></tr>\
             <tr><td><p>Red</p><p>(home)</p></td><td>3</td></tr>\
             <tr><td>{plot}</td><td>1947</td></tr></table>"
        );
        let row = "<tr><td>Mon</td><td>3</td><td>5</td><td>2</td></tr>";
        let plain = format!("<table>{}</table>", row.repeat(3));
        assert_eq!(classes(&format!("{results}{plain}")), [false, false]);
    }

    #[test]
    fn a_grid_of_short_cells_is_data() {
        let one_row = "<table><tr><td>etwas</td><td>Fett</td></tr></table>";
        let ingredients = "<table><tr><td>25 g</td><td>Butter</td></tr><tr><td>1 EL</td><td>Honig</td></tr></table>";
        assert_eq!(classes(&format!("{one_row}{ingredients}")), [false, false]);
    }

    #[test]
    fn a_table_of_tables_a_form_or_prose_lays_the_page_out() {
        let prose = "本报讯 4月11日上午，由市劳动和社会保障局、市总工会联合主办的首届农民工职业技能大赛在市职业技术学院开幕，来自全市各县区的三百多名农民工参加了电工、焊工、车工、厨师等八个工种的比赛。";
        let page = format!(
            "<table><tr><td><table><tr><td>菜单</td></tr></table></td>\
             <td><table><tr><td>{prose}</td></tr><tr><td>打印</td></tr></table></td></tr></table>\
             <table><tr><td><form>用户名 <input></form></td></tr></table>\
             <table role=presentation><tr><td>a</td></tr></table>"
        );
        // The outer table holds tables, the story's table prose; the menu is a grid of data.
        assert_eq!(classes(&page), [true, false, true, true, true]);
    }
}
