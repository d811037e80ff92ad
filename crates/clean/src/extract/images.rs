//! The images of the walk: which `<img>` is an image of the article and which is dropped (and
//! why), a `<noscript>` original taking its lazy-load placeholder's place, and the captions and
//! credits that describe an image.

use scraper::Node;

use super::{CaptionKind, MAX_CENTERED_CAPTION_CHARS, Skip, Walker};
use crate::elements::{attr, image_source, is_tracking_pixel};
use crate::text::fold_blanks;
use crate::url::canonical;
use lede_record::Image;

impl Walker<'_> {
    pub(super) fn count_skipped_image(&mut self, why: Skip) {
        let counter = match why {
            Skip::Noscript | Skip::Hidden => &mut self.dropped_images.hidden,
            Skip::Ad => &mut self.dropped_images.ad,
            Skip::PageChrome => &mut self.dropped_images.page_chrome,
        };
        *counter += 1;
    }

    pub(super) fn close_caption(&mut self) {
        let Some(caption) = self.caption.take() else {
            return;
        };
        let text = fold_blanks(&caption.text);
        let is_caption = !text.is_empty()
            && (caption.kind != CaptionKind::Centered
                || text.chars().count() <= MAX_CENTERED_CAPTION_CHARS);
        if !is_caption {
            // Not a caption after all: ordinary text, and the image waits no more.
            self.text.push_text(&text);
            self.text.end_paragraph();
            self.awaiting_caption = self.awaiting_caption.filter(|_| text.is_empty());
            return;
        }
        if caption.kind == CaptionKind::Credit {
            // A credit may be followed by the caption proper: the image still waits.
            self.credits.push((caption.image, text));
            return;
        }
        let image = &mut self.images[caption.image];
        image.caption = Some(match image.caption.take() {
            Some(earlier) => format!("{earlier} {text}"),
            None => text,
        });
        self.awaiting_caption = None;
    }

    /// The image of a `<noscript>` fallback: the original of a lazy-load placeholder shown just
    /// before it in the same container (Medium, WordPress), which it replaces; else an image of
    /// its own.
    pub(super) fn noscript_image(
        &mut self,
        node: ego_tree::NodeRef<'_, Node>,
        el: &scraper::node::Element,
    ) {
        let replaces = self.awaiting_caption.filter(|&i| {
            i + 1 == self.images.len()
                && self.images[i].caption.is_none()
                && self
                    .noscript_parent
                    .is_some_and(|parent| self.last_image_ancestors.contains(&parent))
        });
        let kept_before = self.images.len();
        self.image(el, node);
        if let Some(placeholder) = replaces
            && self.images.len() > kept_before
            && let Some(original) = self.images.pop()
        {
            self.image_index.remove(&self.images[placeholder].url);
            self.image_index.insert(original.url.clone(), placeholder);
            self.images[placeholder] = original;
            self.dropped_images.placeholder += 1;
            self.awaiting_caption = Some(placeholder);
        }
    }

    pub(super) fn image(&mut self, el: &scraper::node::Element, node: ego_tree::NodeRef<'_, Node>) {
        if let Some(caption) = self.caption.take() {
            // A block holding an image is not that image's caption: its text is content.
            self.text.push_text(&caption.text);
        }
        if is_tracking_pixel(el) {
            self.dropped_images.tracking_pixel += 1;
            return;
        }
        let Some(src) = image_source(el) else {
            let has_data_uri = attr(el, "src").is_some_and(|s| s.trim().starts_with("data:"));
            if has_data_uri {
                self.dropped_images.data_uri += 1;
            } else {
                self.dropped_images.no_source += 1;
            }
            return;
        };
        let Some(url) = canonical(src, self.base) else {
            self.dropped_images.no_source += 1;
            return;
        };
        if !url.contains("://") {
            self.dropped_images.unresolved += 1;
            return;
        }
        if let Some(&index) = self.image_index.get(&url) {
            self.dropped_images.duplicate += 1;
            self.awaiting_caption = Some(index).filter(|&i| self.images[i].caption.is_none());
            return;
        }
        let alt = attr(el, "alt").map(fold_blanks).filter(|a| !a.is_empty());
        self.image_index.insert(url.clone(), self.images.len());
        self.images.push(Image {
            url,
            alt,
            caption: None,
        });
        self.awaiting_caption = Some(self.images.len() - 1);
        self.last_image_ancestors.clear();
        self.last_image_ancestors
            .extend(node.ancestors().take(8).map(|a| a.id()));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;

    #[test]
    fn lazy_images_win_over_placeholders_and_pixels_are_dropped() {
        let e = run(concat!(
            "<img data-original=\"https://a.example/real.jpg\" src=\"https://a.example/thumb.jpg\" alt=\" A cat \">",
            "<img src=\"data:image/gif;base64,R0l\"><img src=\"https://t.example/p.gif\" width=\"1\" height=\"1\">",
            "<img srcset=\"https://a.example/s.jpg 320w, https://a.example/l.jpg 1024w\" src=\"x.gif\">",
        ));
        let urls: Vec<_> = e.images.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            vec!["https://a.example/real.jpg", "https://a.example/l.jpg"]
        );
        assert_eq!(e.images[0].alt.as_deref(), Some("A cat"));
    }

    #[test]
    fn captions_and_credits_go_to_their_image() {
        let e = run(concat!(
            "<figure><img src=\"https://a.example/1.jpg\"><span class=\"story-image-copyright\">Getty</span>",
            "<figcaption><span class=\"off-screen\">Image caption</span>A harbour at dawn</figcaption></figure>",
            "<p>Body text.</p>",
            "<p><img src=\"https://a.example/2.jpg\"></p><p style=\"text-align: center\">图：会场外景</p>",
            "<p>More text.</p>",
            "<img src=\"https://a.example/3.jpg\"><center>",
            "A centered paragraph that is far too long to be the caption of anything, because it goes on ",
            "and on and on, telling a story of its own over many words, as real paragraphs do.</center>",
        ));
        let captions: Vec<_> = e.images.iter().map(|i| i.caption.as_deref()).collect();
        assert_eq!(
            captions,
            vec![
                Some("A harbour at dawn (Getty)"),
                Some("图：会场外景"),
                None
            ]
        );
        assert_eq!(e.paragraphs.len(), 3, "{:?}", e.paragraphs);
        assert_eq!(e.paragraphs[..2], ["Body text.", "More text."]);
        assert!(e.paragraphs[2].starts_with("A centered paragraph"));
    }

    #[test]
    fn a_caption_block_that_holds_an_image_is_not_a_caption() {
        let e = run(concat!(
            "<img src=\"https://a.example/1.jpg\">",
            "<div class=\"media has-caption\"><img src=\"https://a.example/2.jpg\"><figcaption>Second</figcaption></div>",
        ));
        let captions: Vec<_> = e.images.iter().map(|i| i.caption.as_deref()).collect();
        assert_eq!(captions, vec![None, Some("Second")]);
        assert!(e.paragraphs.is_empty(), "{:?}", e.paragraphs);
    }

    #[test]
    pub(super) fn noscript_images_are_kept_and_its_text_is_not() {
        let e = run(concat!(
            "<picture><noscript><img src=\"https://a.example/real.jpg\"><p>Enable JavaScript</p></noscript></picture>",
            "<img data-lazy-src=\"https://a.example/lazy.jpg\" src=\"data:image/gif;base64,R0l\">",
            "<noscript><img src=\"https://a.example/lazy.jpg\"></noscript><p>text</p>",
        ));
        let urls: Vec<_> = e.images.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            vec!["https://a.example/real.jpg", "https://a.example/lazy.jpg"]
        );
        assert_eq!(e.dropped_images.duplicate, 1);
        assert_eq!(e.paragraphs, vec!["text"]);
    }

    #[test]
    fn a_noscript_original_replaces_the_placeholder_before_it() {
        let e = run(concat!(
            "<figure><div><div><img src=\"https://m.example/max/60/a.png?q=20\"></div><img width=\"9\">",
            "<noscript><img src=\"https://m.example/max/3788/a.png\"></noscript></div>",
            "<figcaption>Memory leak</figcaption></figure>",
            "<p><img src=\"https://m.example/b.png\"></p><p>text</p><noscript><img src=\"https://m.example/c.png\"></noscript>",
        ));
        let images: Vec<_> = e
            .images
            .iter()
            .map(|i| (i.url.as_str(), i.caption.as_deref()))
            .collect();
        assert_eq!(
            images,
            vec![
                ("https://m.example/max/3788/a.png", Some("Memory leak")),
                ("https://m.example/b.png", None),
                ("https://m.example/c.png", None),
            ]
        );
        assert_eq!(e.dropped_images.placeholder, 1);
        assert_eq!(e.dropped_images.no_source, 1);
    }
}
