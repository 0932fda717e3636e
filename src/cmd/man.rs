//! `kanbao man`: the manual page (roff). Name, synopsis, description and options come from the
//! clap definition (clap_mangen); then every command with its arguments, the reader's keys
//! (generated from the default keymap, so they are the keys the help overlay shows), the query
//! syntax, the search output format, files, environment and examples. One page: there are no
//! separate pages per command.

use std::io::Write;
use std::process::ExitCode;

/// Escape text for roff: backslashes, and a leading `.` or `'` that would read as a request.
fn esc(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}

/// A tagged paragraph: `tag` in bold, then `text`.
fn tp(out: &mut String, tag: &str, text: &str) {
    out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", esc(tag), esc(text)));
}

fn section(out: &mut String, name: &str) {
    out.push_str(&format!(".SH {name}\n"));
}

fn para(out: &mut String, text: &str) {
    out.push_str(&format!(".PP\n{}\n", esc(text)));
}

/// The usage of a subcommand: `kanbao search [OPTIONS] [QUERY]`.
fn usage(name: &str, c: &clap::Command) -> String {
    let mut u = format!("kanbao {name}");
    for a in c.get_arguments() {
        if a.get_id() == "help" || a.is_hide_set() {
            continue;
        }
        let val = a
            .get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string())
            .unwrap_or_else(|| a.get_id().as_str().to_ascii_uppercase());
        let s = match (a.get_long(), a.is_positional()) {
            (_, true) => val,
            (Some(l), false) if a.get_action().takes_values() => format!("--{l} {val}"),
            (Some(l), false) => format!("--{l}"),
            (None, false) => continue,
        };
        u.push(' ');
        u.push_str(&if a.is_required_set() {
            s
        } else {
            format!("[{s}]")
        });
    }
    u
}

/// The page as roff.
pub fn page() -> anyhow::Result<String> {
    let cmd = super::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut head = Vec::new();
    man.render_title(&mut head)?;
    man.render_name_section(&mut head)?;
    man.render_synopsis_section(&mut head)?;
    man.render_description_section(&mut head)?;
    man.render_options_section(&mut head)?;
    let mut out = String::from_utf8(head)?;

    section(&mut out, "COMMANDS");
    para(
        &mut out,
        "Without a command, kanbao opens the reader on the archive. Every command prints the \
         article ids that the others take (list --articles, search, show, mark, export).",
    );
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        let about = sub.get_about().map(|s| s.to_string()).unwrap_or_default();
        tp(&mut out, &usage(name, sub), &about);
        for a in sub.get_arguments() {
            if a.get_id() == "help" || a.is_hide_set() {
                continue;
            }
            let help = a.get_help().map(|s| s.to_string()).unwrap_or_default();
            let flag = match a.get_long() {
                Some(l) => format!("--{l}"),
                None => a.get_id().as_str().to_ascii_uppercase(),
            };
            out.push_str(&format!(".RS\n.TP\n{}\n{}\n.RE\n", esc(&flag), esc(&help)));
        }
    }

    section(&mut out, "KEYS");
    para(
        &mut out,
        "The reader's keys as shipped; [keys] and [input_keys] in the config file and --bind \
         change them, and the help overlay (?) always shows the keys in force. Keys marked \
         \"search box\" and the prompts (tags, date, filter, pipe) are text boxes: other keys \
         type themselves there.",
    );
    let keymap = crate::tui::keys::Keymap::default();
    for (k, h) in keymap.help_rows() {
        tp(&mut out, &k, &h);
    }
    for (k, h) in crate::tui::view::FIXED_HELP {
        tp(&mut out, k, h);
    }
    para(
        &mut out,
        "In a list of search results (Tab from the box, or Esc back from an article opened \
         from it): j k and the page keys move, Enter opens, / edits the query, S saves it, s m t \
         mark the selected hit, Esc closes the search. While reading a hit, ] and [ open the \
         next and previous hit. Above the issues are the folders: unread, starred, each tag, \
         and the saved searches; Enter on one lists its articles, D deletes a saved search.",
    );

    section(&mut out, "QUERY SYNTAX");
    for (q, what) in [
        (
            "劳动",
            "records where that exact text occurs (any length, as you type)",
        ),
        ("劳动 浦东", "records with both"),
        ("\"a b\"", "the phrase with its space"),
        ("浦东 -新区", "with 浦东 and without 新区"),
        ("浦东 OR 静安", "with either (OR in capitals)"),
        (
            "title:T  byline:B",
            "in the kicker, title or subtitle; in the byline",
        ),
        (
            "issue:PATH-OR-ID",
            "in issues whose file path contains it, or with that id",
        ),
        (
            "date:2023  date:2023-11  date:2023-11-18  date:2023-01..2023-06",
            "issues of that year, month, day or range",
        ),
        (
            "is:unread  is:read  is:starred  tag:NAME",
            "by reader state",
        ),
        (
            "laodongguanxi  ldgx",
            "Latin letters also find Han text by full pinyin or initials, listed after the \
             literal matches and marked pinyin; records holding a word so spelled come first. \
             A term all in capitals (GDP) is taken as itself only.",
        ),
        (
            "勞動",
            "traditional and simplified characters find each other (marked 繁简)",
        ),
    ] {
        tp(&mut out, q, what);
    }

    section(&mut out, "SEARCH OUTPUT");
    para(
        &mut out,
        "kanbao search prints one line per hit, five fields separated by tabs: ID, DATE \
         (YYYY-MM-DD or -), TITLE, SNIPPET (centred on the first match) and MATCH (text, or \
         pinyin or script for hits found otherwise, which come after). No field holds a tab or \
         a line break. The count goes to standard error on a terminal only. --json prints one \
         JSON object per query.",
    );

    section(&mut out, "FILES");
    for (f, what) in [
        (
            "DATA/index/",
            "the search index, one folder per archive; always rebuildable from the archive",
        ),
        (
            "DATA/state.sqlite",
            "reader state: read, starred, tags, reading positions, where the reader was",
        ),
        (
            "DATA/history",
            "search history, one query per line (Up/Down and Ctrl-R in the search box)",
        ),
        ("DATA/searches", "saved searches, one query per line"),
        ("DATA/kanbao.log", "the log (never written to the screen)"),
        (
            "CONFIG/config.toml",
            "settings and key bindings; kanbao config prints where, kanbao config --default a \
             commented file",
        ),
    ] {
        tp(&mut out, f, what);
    }
    para(
        &mut out,
        "DATA is --data-dir, else $KANBAO_DATA_DIR, else the platform data folder \
         (~/.local/share/kanbao on Linux); CONFIG the platform config folder \
         (~/.config/kanbao). The archive itself is never written to.",
    );

    section(&mut out, "ENVIRONMENT");
    for (v, what) in [
        ("KANBAO_DATA_DIR", "the data folder"),
        ("KANBAO_CONFIG", "the config file"),
        ("PAGER", "the pager of o (default less)"),
        ("NO_COLOR", "no colour, in the reader and in kanbao search"),
        (
            "TMUX",
            "inside tmux, y and Y also send the clipboard through tmux",
        ),
        (
            "TERM",
            "the terminal's capabilities (256 colours for the rich theme)",
        ),
    ] {
        tp(&mut out, v, what);
    }

    section(&mut out, "EXAMPLES");
    for (ex, what) in [
        ("kanbao ~/papers", "read the archive in ~/papers"),
        (
            "kanbao search 劳动关系 | cut -f1 | head -1 | xargs kanbao show",
            "the text of the best hit",
        ),
        (
            "kanbao search 'date:2024-05 浦东' | cut -f1 | xargs kanbao mark --star",
            "star every hit",
        ),
        (
            "kanbao list --articles --unread",
            "unread articles, newest issue first",
        ),
        (
            "kanbao export --format jsonl > all.jsonl",
            "every article with its fields",
        ),
        ("kanbao man | man -l -", "this page"),
    ] {
        out.push_str(&format!(".TP\n.B {}\n{}\n", esc(ex), esc(what)));
    }
    let mut tail = Vec::new();
    man.render_version_section(&mut tail)?;
    out.push_str(&String::from_utf8(tail)?);
    Ok(out)
}

pub fn run() -> anyhow::Result<ExitCode> {
    std::io::stdout().write_all(page()?.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
