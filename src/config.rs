//! `config.toml` in the platform config folder (or `--config` / `KANBAO_CONFIG`): archive,
//! display settings, theme and keymap. Every setting can also be given on the command line,
//! which wins. Unknown keys and bad values are errors that name the line; nothing falls back
//! silently.

use crate::tui::keys::Keymap;
use crate::tui::theme::THEMES;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The commented default file that `kanbao config --default` prints.
pub const DEFAULT: &str = r#"# kanbao configuration. Every setting here can also be given on the command line,
# which wins (see `kanbao --help`). Unknown keys are errors.

# The archive folder to open when none is given. A list names several; the first is the
# default and `kanbao NAME` opens the one whose folder is called NAME.
# archive = "~/papers"
# archive = ["~/papers/renmin", "~/papers/gongren"]

# Width of East Asian Ambiguous characters (“ ” … — · ■) in your terminal: 1 or 2.
# ambiguous_width = 1

# Reading measure in Chinese characters (10–200).
# measure = 38

# Indent the first line of each paragraph by two full-width spaces.
# indent = true

# Theme: "default" (reads on dark and light backgrounds, 16 colours), "rich" (256-colour
# accents where the terminal has them), "mono" (no colour; NO_COLOR does the same).
# theme = "default"

# Keys: action = [keys]. A list replaces the action's default keys. Keys are written like
# "j", "G", "Ctrl-d", "Alt-x", "Enter", "Esc", "Tab", "Space", "PageDown", "F1".
# The help overlay (?) always shows the keymap in use.
[keys]
# toggle_star = ["s", "*"]

# Keys of the search box and the tag editor (cancel, submit, prev_result, next_result, left,
# right, home, end, backspace, delete, delete_word, clear_line). Only keys that do not type a
# character: Ctrl-x, Alt-x, Enter, arrows…
[input_keys]
# cancel = ["Esc", "Ctrl-g"]
"#;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    archive: Option<OneOrMany>,
    ambiguous_width: Option<i64>,
    measure: Option<i64>,
    indent: Option<bool>,
    theme: Option<String>,
    #[serde(default)]
    keys: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    input_keys: BTreeMap<String, OneOrMany>,
}

/// The settings a config file gives (None: not set there).
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: PathBuf,
    pub archives: Vec<PathBuf>,
    pub ambiguous_width: Option<u8>,
    pub measure: Option<u16>,
    pub indent: Option<bool>,
    pub theme: Option<String>,
    pub keymap: Keymap,
}

/// The default config file location.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kanbao").map(|p| p.config_dir().join("config.toml"))
}

/// 1-based line of the first line that sets `key` (`key =` or `"key" =`), after `[section]`
/// when one is given; 1 if not found.
fn line_of(src: &str, section: Option<&str>, key: &str) -> usize {
    let mut in_section = section.is_none();
    for (i, l) in src.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            in_section = section.is_some_and(|s| t == format!("[{s}]"));
            continue;
        }
        let k = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if in_section && k == key {
            return i + 1;
        }
    }
    1
}

/// 1-based line of `[section]`; 1 if absent.
fn section_line(src: &str, section: &str) -> usize {
    src.lines()
        .position(|l| l.trim() == format!("[{section}]"))
        .map_or(1, |i| i + 1)
}

fn expand_home(s: &str) -> PathBuf {
    if let Some(rest) = s.strip_prefix("~/") {
        if let Some(home) = directories::BaseDirs::new() {
            return home.home_dir().join(rest);
        }
    }
    PathBuf::from(s)
}

/// Parse a config file's text. `path` is only used in messages.
pub fn parse(src: &str, path: &Path) -> anyhow::Result<Config> {
    let at = |line: usize, msg: String| anyhow::anyhow!("{}:{line}: {msg}", path.display());
    let f: File = toml::from_str(src).map_err(|e| {
        let mut line = e
            .span()
            .map(|s| {
                src.as_bytes()[..s.start.min(src.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1
            })
            .unwrap_or(1);
        // serde's unknown-field error spans the whole table: find the field itself
        if let Some(field) = e
            .message()
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next())
        {
            line = line_of(src, None, field);
        }
        at(line, e.message().to_string())
    })?;
    let mut c = Config {
        path: path.to_path_buf(),
        ..Default::default()
    };
    c.archives = match f.archive {
        None => vec![],
        Some(OneOrMany::One(s)) => vec![expand_home(&s)],
        Some(OneOrMany::Many(v)) => v.iter().map(|s| expand_home(s)).collect(),
    };
    if let Some(w) = f.ambiguous_width {
        if !(1..=2).contains(&w) {
            return Err(at(
                line_of(src, None, "ambiguous_width"),
                format!("ambiguous_width must be 1 or 2, not {w}"),
            ));
        }
        c.ambiguous_width = Some(w as u8);
    }
    if let Some(m) = f.measure {
        if !(10..=200).contains(&m) {
            return Err(at(
                line_of(src, None, "measure"),
                format!("measure must be between 10 and 200 characters, not {m}"),
            ));
        }
        c.measure = Some(m as u16);
    }
    c.indent = f.indent;
    if let Some(t) = f.theme {
        if !THEMES.contains(&t.as_str()) {
            return Err(at(
                line_of(src, None, "theme"),
                format!("unknown theme {t:?}; themes are: {}", THEMES.join(" ")),
            ));
        }
        c.theme = Some(t);
    }
    let list = |keys: &OneOrMany| match keys {
        OneOrMany::One(s) => vec![s.clone()],
        OneOrMany::Many(v) => v.clone(),
    };
    for (name, keys) in &f.keys {
        c.keymap
            .bind(name, &list(keys))
            .map_err(|e| at(line_of(src, Some("keys"), name), e))?;
    }
    for (name, keys) in &f.input_keys {
        c.keymap
            .bind_input(name, &list(keys))
            .map_err(|e| at(line_of(src, Some("input_keys"), name), e))?;
    }
    if let Some(clash) = c.keymap.clash() {
        // the line of the binding that made the clash: the later one the file sets, else the
        // one it sets, else the section
        let (section, set): (&str, Vec<&String>) = if clash.input {
            ("input_keys", f.input_keys.keys().collect())
        } else {
            ("keys", f.keys.keys().collect())
        };
        let line = clash
            .actions
            .iter()
            .rev()
            .find(|a| set.iter().any(|s| s.as_str() == **a))
            .map(|a| line_of(src, Some(section), a))
            .unwrap_or_else(|| section_line(src, section));
        return Err(at(line, clash.to_string()));
    }
    Ok(c)
}

/// Load the config: `explicit` (--config / KANBAO_CONFIG) must exist; the default location
/// may be missing (then everything is default).
pub fn load(explicit: Option<&Path>) -> anyhow::Result<Config> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match default_path() {
            Some(p) => p,
            None => return Ok(Config::default()),
        },
    };
    match std::fs::read_to_string(&path) {
        Ok(src) => parse(&src, &path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => Ok(Config {
            path,
            ..Default::default()
        }),
        Err(e) => Err(anyhow::anyhow!("config {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> anyhow::Result<Config> {
        parse(src, Path::new("config.toml"))
    }

    #[test]
    fn the_default_file_parses_to_the_defaults() {
        let c = p(DEFAULT).unwrap();
        assert!(c.archives.is_empty() && c.measure.is_none() && c.theme.is_none());
        assert_eq!(c.keymap.help_rows(), Keymap::default().help_rows());
    }

    #[test]
    fn settings_and_keys() {
        let c = p("archive = [\"/a\", \"/b\"]\nmeasure = 30\nambiguous_width = 2\nindent = false\ntheme = \"rich\"\n[keys]\ntoggle_star = [\"*\", \"s\"]\nquit = \"Q\"\n").unwrap();
        assert_eq!(c.archives, vec![PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(
            (c.measure, c.ambiguous_width, c.indent),
            (Some(30), Some(2), Some(false))
        );
        let rows = c.keymap.help_rows();
        assert!(
            rows.iter().any(|(k, h)| k == "* s" && h.contains("star")),
            "{rows:?}"
        );
        assert!(rows.iter().any(|(k, h)| k == "Q" && *h == "quit"));
    }

    #[test]
    fn errors_name_the_line() {
        for (src, line, says) in [
            ("measure = 38\ncolour = 1\n", 2, "unknown field `colour`"),
            ("measure = 5\n", 1, "between 10 and 200"),
            ("\n\nambiguous_width = 3\n", 3, "1 or 2"),
            ("theme = \"neon\"\n", 1, "unknown theme"),
            ("measure = \"wide\"\n", 1, "invalid type"),
            ("[keys]\nfly = \"x\"\n", 2, "unknown action \"fly\""),
            ("[keys]\n\ndown = \"Hyper-j\"\n", 3, "unknown key"),
            ("measure = 38\nmeasure = 40\n", 2, "duplicate"),
            ("[keys]\nundo = \"j\"\n", 2, "bound to both down and undo"),
            // the clash is reported at the key that made it, not at its section
            (
                "measure = 38\n[keys]\ntoggle_star = \"*\"\n\nundo = [\"u\", \"*\"]\n",
                5,
                "bound to both toggle_star and undo",
            ),
            (
                "[input_keys]\nsubmit = \"Enter\"\nleft = [\"Left\", \"Ctrl-n\"]\n",
                3,
                "in text boxes",
            ),
            (
                "[input_keys]\n\ncancel = \"q\"\n",
                3,
                "a character you type",
            ),
            (
                "[input_keys]\nback = \"Esc\"\n",
                2,
                "unknown text box action",
            ),
        ] {
            let e = p(src).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("config.toml:{line}: ")),
                "{src:?}: {e}"
            );
            assert!(e.contains(says), "{src:?}: {e}");
        }
    }
}
