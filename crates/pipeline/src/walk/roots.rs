//! The input roots of a run, made distinct: a root given twice, or inside another root, is
//! walked once; and when several roots remain, each gets a label that starts the `source_path`
//! of its files, so that the same relative path under two roots is two sources, not one `id`
//! fought over.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use lede_record::SourcePath;

use crate::InputRoot;

/// An input root as the walk uses it.
#[derive(Debug)]
pub(crate) struct Root<'a> {
    pub(crate) input: &'a InputRoot,
    /// The directory the root's relative paths start from: the root, or a file root's
    /// directory.
    pub(crate) base: PathBuf,
    /// A file root's name (relative to `base`).
    pub(crate) file: Option<OsString>,
    /// The root's real path (links resolved), for telling where a link points.
    pub(crate) canonical: PathBuf,
    /// What its files' `source_path`s start with, when the run has several roots.
    pub(crate) label: Option<String>,
}

impl Root<'_> {
    /// The source at `relative` under this root.
    pub(crate) fn source(&self, relative: &Path) -> SourcePath {
        SourcePath::labelled(&self.base, self.label.as_deref(), relative)
    }
}

/// The roots to walk, and a line for each input not walked as given (a repeat, or inside
/// another input).
pub(crate) fn plan(inputs: &[InputRoot]) -> (Vec<Root<'_>>, Vec<String>) {
    let mut notes = Vec::new();
    let resolved: Vec<(&InputRoot, PathBuf)> = inputs
        .iter()
        .map(|input| {
            let canonical = std::fs::canonicalize(&input.path)
                .unwrap_or_else(|_| std::path::absolute(&input.path).unwrap_or_default());
            (input, canonical)
        })
        .collect();
    let mut kept: Vec<(&InputRoot, PathBuf)> = Vec::new();
    for (i, (input, canonical)) in resolved.iter().enumerate() {
        let earlier_same = resolved[..i].iter().find(|(_, c)| c == canonical);
        let inside = resolved.iter().find(|(_, other)| {
            other != canonical && other.is_dir() && canonical.starts_with(other)
        });
        match (earlier_same, inside) {
            (Some((first, _)), _) => notes.push(format!(
                "input {} is the same as input {}: it is read once",
                input.path.display(),
                first.path.display()
            )),
            (None, Some((outer, _))) => notes.push(format!(
                "input {} is inside input {}: it is read once, as part of it",
                input.path.display(),
                outer.path.display()
            )),
            (None, None) => kept.push((input, canonical.clone())),
        }
    }
    let bases: Vec<(PathBuf, Option<OsString>)> = kept
        .iter()
        .map(|(input, canonical)| {
            if canonical.is_file() {
                let name = input.path.file_name().map(ToOwned::to_owned);
                let base = canonical.parent().map_or_else(PathBuf::new, Path::to_owned);
                let given = input.path.parent().filter(|p| !p.as_os_str().is_empty());
                (given.map_or(base, Path::to_owned), name)
            } else {
                (input.path.clone(), None)
            }
        })
        .collect();
    let labels = if kept.len() > 1 {
        let label_bases: Vec<PathBuf> = kept
            .iter()
            .zip(&bases)
            .map(|((_, canonical), (_, file))| match file {
                Some(_) => canonical.parent().map_or_else(PathBuf::new, Path::to_owned),
                None => canonical.clone(),
            })
            .collect();
        labels(&label_bases).into_iter().map(Some).collect()
    } else {
        vec![None; kept.len()]
    };
    let roots = kept
        .into_iter()
        .zip(bases)
        .zip(labels)
        .map(|(((input, canonical), (base, file)), label)| Root {
            input,
            base,
            file,
            canonical,
            label,
        })
        .collect();
    (roots, notes)
}

/// The source `file` is to a run over `inputs`: its path under the input that holds it (with
/// that input's label when there are several), as the walk names it. `None` when no input
/// holds it. `lede inspect` shows a file's row as `lede run` writes it with this.
pub fn source_of(inputs: &[InputRoot], file: &Path) -> Option<(SourcePath, PathBuf)> {
    let canonical = std::fs::canonicalize(file).ok()?;
    let (roots, _) = plan(inputs);
    roots.iter().find_map(|root| {
        let source = match &root.file {
            Some(name) => (root.canonical == canonical).then(|| root.source(Path::new(name))),
            None => canonical
                .strip_prefix(&root.canonical)
                .ok()
                .map(|relative| root.source(relative)),
        };
        source.map(|source| (source, root.input.path.clone()))
    })
}

/// The warning for a walk that found no file to read: a wrong path or glob otherwise looks
/// like a quiet night.
pub fn no_input_files(inputs: &[InputRoot]) -> String {
    let paths: Vec<String> = inputs
        .iter()
        .map(|input| input.path.display().to_string())
        .collect();
    format!(
        "no input files: nothing under {} matches {} and not {}",
        paths.join(", "),
        lede_record::keys::INPUT_INCLUDE,
        lede_record::keys::INPUT_EXCLUDE
    )
}

/// What a user should know of how the inputs are walked: inputs walked once though given
/// twice or inside another, and, with several roots, the label each root's `source_path`s
/// start with.
pub fn describe_inputs(inputs: &[InputRoot]) -> Vec<String> {
    let (roots, mut notes) = plan(inputs);
    if roots.len() > 1 {
        for root in &roots {
            notes.push(format!(
                "input {}: its files' source_path starts with `{}/` (several inputs, so that the same relative path under two of them is two sources)",
                root.input.path.display(),
                root.label.as_deref().unwrap_or_default()
            ));
        }
    }
    notes
}

/// For distinct directories, distinct labels: each one's last path component, or as many of
/// its last components as it takes to tell it from the others (`2024/news`, `2025/news`).
fn labels(dirs: &[PathBuf]) -> Vec<String> {
    let suffix = |dir: &Path, n: usize| -> String {
        let components: Vec<_> = dir.components().skip(1).collect();
        let from = components.len().saturating_sub(n);
        let path: PathBuf = components[from..].iter().collect();
        let shown = SourcePath::new("", &path).relative().to_owned();
        if shown.is_empty() {
            "root".to_owned()
        } else {
            shown
        }
    };
    let mut lengths = vec![1; dirs.len()];
    loop {
        let current: Vec<String> = dirs
            .iter()
            .zip(&lengths)
            .map(|(dir, &n)| suffix(dir, n))
            .collect();
        let mut grew = false;
        for i in 0..dirs.len() {
            let clash = (0..dirs.len()).any(|j| j != i && current[j] == current[i]);
            let longest = dirs[i].components().count();
            if clash && lengths[i] < longest {
                lengths[i] += 1;
                grew = true;
            }
        }
        if !grew {
            return current;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_last_components_lengthened_until_distinct() {
        let dirs = [
            PathBuf::from("/srv/2024/news"),
            PathBuf::from("/srv/2025/news"),
            PathBuf::from("/srv/blogs"),
        ];
        assert_eq!(labels(&dirs), vec!["2024/news", "2025/news", "blogs"]);
        assert_eq!(labels(&[PathBuf::from("/")]), vec!["root"]);
    }

    #[test]
    fn repeated_and_nested_inputs_are_walked_once_and_labelled_when_several() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["a/n", "b/n"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("a/n/x.md"), "x").unwrap();
        let inputs = [
            InputRoot::all(dir.path().join("a")),
            InputRoot::all(dir.path().join("b")),
            InputRoot::all(dir.path().join("a")),
            InputRoot::all(dir.path().join("a/n/x.md")),
        ];
        let (roots, notes) = plan(&inputs);
        assert_eq!(roots.len(), 2, "{roots:?}");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("is the same as input"), "{notes:?}");
        assert!(notes[1].contains("is inside input"), "{notes:?}");
        let shown: Vec<String> = roots
            .iter()
            .map(|r| r.source(Path::new("n/x.md")).relative().to_owned())
            .collect();
        assert_eq!(shown, vec!["a/n/x.md", "b/n/x.md"]);

        let (single, _) = plan(&inputs[..1]);
        assert_eq!(single[0].source(Path::new("n/x.md")).relative(), "n/x.md");
    }
}
