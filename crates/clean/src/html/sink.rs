//! scraper's tree sink with a step counter: html5ever asks the sink for the name of every
//! element it looks at on its stack of open elements (scope checks, implied end tags, the
//! adoption agency) and has it make and move every node, so counting those calls counts the
//! tree builder's work, deterministically.

use std::borrow::Cow;
use std::cell::{Cell, Ref};
use std::rc::Rc;

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

/// An [`HtmlTreeSink`] that counts its calls.
pub(super) struct CountingSink {
    inner: HtmlTreeSink,
    steps: Rc<Cell<u64>>,
}

impl CountingSink {
    /// A sink for a document of about `nodes` nodes: the tree's node list is made that long up
    /// front instead of being copied each time it doubles (~140 M instructions on the 10k
    /// sample; capacity never written is never touched: peak RSS unchanged at 20k and 80k).
    pub(super) fn new(nodes: usize) -> CountingSink {
        let document = Html {
            quirks_mode: QuirksMode::NoQuirks,
            tree: ego_tree::Tree::with_capacity(scraper::Node::Document, nodes),
        };
        CountingSink {
            inner: HtmlTreeSink::new(document),
            steps: Rc::new(Cell::new(0)),
        }
    }

    /// The counter, readable while the parser owns the sink.
    pub(super) fn steps(&self) -> Rc<Cell<u64>> {
        Rc::clone(&self.steps)
    }

    fn step(&self, by: u64) {
        self.steps.set(self.steps.get().saturating_add(by));
    }
}

impl TreeSink for CountingSink {
    type Output = Html;
    type Handle = NodeId;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Html {
        self.inner.finish()
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.step(1);
        self.inner.same_node(x, y)
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.step(1);
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.step(1 + attrs.len() as u64);
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.step(1);
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.step(1);
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.step(1);
        self.inner.append(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.step(1);
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.step(1);
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.step(1);
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        // Each attribute is put in order among those the element has: a repeated `<body>` of
        // many attributes costs their product.
        let held = self
            .inner
            .0
            .borrow()
            .tree
            .get(*target)
            .and_then(|node| node.value().as_element().map(|e| e.attrs().count()))
            .unwrap_or(0);
        self.step(attrs.len() as u64 * (1 + held as u64));
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.step(1);
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let children = self
            .inner
            .0
            .borrow()
            .tree
            .get(*node)
            .map_or(0, |n| n.children().count());
        self.step(1 + children as u64);
        self.inner.reparent_children(node, new_parent);
    }
}
