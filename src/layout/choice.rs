//! The choice between the two cuts of a page: the rules' ([`super::segment`]) and the line
//! labeller's ([`super::assemble`]).
//!
//! Neither analysis knows the answer, so the choice looks at what each cut says about itself
//! and about the other: how coherent its articles are ([`Summary::coherence`]), how many
//! articles it finds, how many of them have a headline that matches their own lead or a
//! byline, and how far the two cuts agree on where articles start ([`features`]). A logistic model over those
//! figures ([`WEIGHTS`]), fitted by `scripts/fit_choice.py` on generated pages that neither
//! the labeller nor anything else was trained on, plus the seed and sample pages, says how
//! likely the labeller's cut is the better one.

use super::lines::{Line, LineKind};
use super::segment::Seg;

/// What a byline adds to an article with a matching headline, in [`Summary::coherence`].
const BYLINE_POINT: f64 = 1.0;

/// What one cut of a page says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Articles (fragments not counted).
    pub articles: usize,
    /// Articles whose headline shares a quarter of its character pairs with its lead.
    pub matched: usize,
    /// Articles with a byline.
    pub bylines: usize,
    /// Articles with more than one byline (often two articles taken for one).
    pub two_bylines: usize,
    /// Articles without a headline.
    pub untitled: usize,
    /// How well a page's articles hang together, without knowing the answer: a point for each
    /// article whose headline shares words with its own lead (half a point when a quarter of the
    /// headline's character pairs are found in the first 300 characters of the body, up to one
    /// when all are; less for an article under 600 characters, which may be a subhead and its
    /// paragraph taken for an article), one more when it has a byline, half a point off for each
    /// article without a headline or with one that does not match (an article merged into another
    /// shows as a single match where there should be two).
    pub coherence: f64,
    /// First line of each article, in page order.
    pub starts: Vec<usize>,
}

/// Sum up one cut ([`Summary`]).
pub fn summary(segs: &[Seg]) -> Summary {
    let mut s = Summary::default();
    for seg in segs {
        if seg.fragment {
            continue;
        }
        let body: usize = seg.paras.iter().map(|p| p.text.chars().count()).sum();
        s.articles += 1;
        s.starts.push(seg.order_line());
        if !seg.bylines.is_empty() {
            s.bylines += 1;
        }
        if seg.bylines.len() > 1 {
            s.two_bylines += 1;
        }
        if seg.heads.is_empty() {
            s.untitled += 1;
        }
        let weight = (body as f64 / 200.0).min(1.0);
        match headline_share(seg) {
            Some(share) => {
                s.matched += 1;
                // a short piece under a "headline" is as likely a subhead and its paragraph
                let size = (body as f64 / 600.0).min(1.0);
                s.coherence += (0.5 + 0.5 * share) * size;
                // a byline found for it says the article starts where the cut says it does
                if !seg.bylines.is_empty() {
                    s.coherence += BYLINE_POINT * size;
                }
            }
            None => s.coherence -= 0.5 * weight,
        }
    }
    s.starts.sort_unstable();
    s
}

/// The share of the headline's character pairs found in the first 300 characters of the
/// article's body, when that is at least a quarter (the headline matches its lead).
fn headline_share(s: &Seg) -> Option<f64> {
    let head: String = s.heads.iter().map(|h| h.text.as_str()).collect();
    let mut lead = String::new();
    for p in s.paras.iter().filter(|p| !p.subhead) {
        lead.push_str(&p.text);
        if lead.len() >= 900 {
            break;
        }
    }
    let hb = crate::text::bigrams(&head, 200);
    let lb: rustc_hash::FxHashSet<(char, char)> =
        crate::text::bigrams(&lead, 300).into_iter().collect();
    let shared = hb.iter().filter(|b| lb.contains(b)).count();
    (!hb.is_empty() && shared * 4 >= hb.len()).then(|| shared as f64 / hb.len() as f64)
}

/// Names of [`features`], in order (for `kanbao bench --layout` and the fitting script).
pub const NAMES: [&str; 15] = [
    "coh_diff",
    "coh_r_per",
    "coh_l_per",
    "log_n_ratio",
    "match_r",
    "match_l",
    "byline_r",
    "byline_l",
    "untitled_r",
    "untitled_l",
    "agree",
    "log_n_r",
    "blank_share",
    "two_bylines_r",
    "two_bylines_l",
];

/// What the choice is made on: figures of both cuts of one page, in the order of [`NAMES`].
pub fn features(lines: &[Line], rules: &Summary, lab: &Summary) -> [f64; 15] {
    let per = |x: usize, s: &Summary| x as f64 / s.articles.max(1) as f64;
    // where both cuts start an article (within a line: a headline taken in or left out)
    let near = |a: &[usize], b: &[usize]| {
        a.iter()
            .filter(|&&x| b.iter().any(|&y| x.abs_diff(y) <= 1))
            .count()
    };
    let union = rules.starts.len() + lab.starts.len();
    let agree = if union == 0 {
        1.0
    } else {
        (near(&rules.starts, &lab.starts) + near(&lab.starts, &rules.starts)) as f64 / union as f64
    };
    let blanks = lines.iter().filter(|l| l.kind == LineKind::Blank).count();
    [
        lab.coherence - rules.coherence,
        rules.coherence / rules.articles.max(1) as f64,
        lab.coherence / lab.articles.max(1) as f64,
        ((lab.articles as f64 + 1.0) / (rules.articles as f64 + 1.0)).ln(),
        per(rules.matched, rules),
        per(lab.matched, lab),
        per(rules.bylines, rules),
        per(lab.bylines, lab),
        per(rules.untitled, rules),
        per(lab.untitled, lab),
        agree,
        (rules.articles as f64 + 1.0).ln(),
        blanks as f64 / lines.len().max(1) as f64,
        per(rules.two_bylines, rules),
        per(lab.two_bylines, lab),
    ]
}

/// Weights of [`features`] in the log-odds that the labeller's cut is the better one
/// (`scripts/fit_choice.py`).
pub const WEIGHTS: [f64; 15] = [
    0.380630,  // coh_diff
    1.938821,  // coh_r_per
    0.575825,  // coh_l_per
    0.646906,  // log_n_ratio
    -2.765095, // match_r
    -2.253172, // match_l
    -1.086626, // byline_r
    0.798509,  // byline_l
    1.504989,  // untitled_r
    -7.622278, // untitled_l
    -6.045296, // agree
    0.884582,  // log_n_r
    -3.488368, // blank_share
    1.679787,  // two_bylines_r
    -3.437320, // two_bylines_l
];
/// The constant term of that log-odds.
pub const BIAS: f64 = 8.904883;

/// The gate: weights of [`features`] in the log-odds that the labeller's cut is the better
/// one, from the labeller's own figures alone (every figure that needs the rules' cut weighs 0),
/// fitted by `scripts/fit_choice.py` with the choice. Where it is above [`GATE_MARGIN`] the
/// labeller's cut is taken without running the rules ([`rules_needed`]).
pub const GATE_WEIGHTS: [f64; 15] = [
    0.000000,  // coh_diff
    0.000000,  // coh_r_per
    3.076292,  // coh_l_per
    0.000000,  // log_n_ratio
    0.000000,  // match_r
    -5.598919, // match_l
    0.000000,  // byline_r
    -0.516377, // byline_l
    0.000000,  // untitled_r
    -8.149123, // untitled_l
    0.000000,  // agree
    0.000000,  // log_n_r
    -5.023012, // blank_share
    0.000000,  // two_bylines_r
    -3.737063, // two_bylines_l
];
/// The constant term of that log-odds.
pub const GATE_BIAS: f64 = 7.401000;
/// Above this log-odds of [`GATE_WEIGHTS`] the rules are not run.
pub const GATE_MARGIN: f64 = 3.0;

/// A linear model's log-odds: its constant term plus the weighted figures.
fn linear(bias: f64, weights: &[f64; 15], f: &[f64; 15]) -> f64 {
    bias + f.iter().zip(weights).map(|(x, w)| x * w).sum::<f64>()
}

/// The log-odds that the labeller's cut of a page is better than the rules' one.
pub fn log_odds(f: &[f64; 15]) -> f64 {
    linear(BIAS, &WEIGHTS, f)
}

/// The gate's log-odds that the labeller's cut is the better one, from that cut alone.
pub fn gate_log_odds(lines: &[Line], lab: &Summary) -> f64 {
    // the rules' figures are those of an empty cut: their weights are 0
    linear(
        GATE_BIAS,
        &GATE_WEIGHTS,
        &features(lines, &Summary::default(), lab),
    )
}

/// Whether the rules' cut must be made to choose: not when the labeller's cut alone is sure
/// enough to be the better one ([`GATE_MARGIN`]). A cut without a single article is never
/// sure: its figures are all those of an empty page, where the fitted weights say nothing.
pub fn rules_needed(lines: &[Line], lab: &Summary) -> bool {
    lab.articles == 0 || gate_log_odds(lines, lab) <= GATE_MARGIN
}

/// Whether to take the labeller's cut (`lab_summary` is [`summary`] of `lab`). A cut without
/// a single article does not win against one with articles: the fitted model has seen few
/// such pages, and every word of the page would become a fragment.
pub fn prefer_labeller(lines: &[Line], rules: &[Seg], lab_summary: &Summary) -> bool {
    let rules = summary(rules);
    if lab_summary.articles == 0 && rules.articles > 0 {
        return false;
    }
    log_odds(&features(lines, &rules, lab_summary)) > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::segment::{BodyPara, HeadLine};

    fn article(line: usize, head: &str, body: &str, bylines: &[&str]) -> Seg {
        Seg {
            heads: if head.is_empty() {
                Vec::new()
            } else {
                vec![HeadLine {
                    text: head.into(),
                    line,
                    group: 0,
                    md: 0,
                }]
            },
            paras: vec![BodyPara {
                text: body.into(),
                line: line + 2,
                ..Default::default()
            }],
            bylines: bylines.iter().map(|b| (line + 1, b.to_string())).collect(),
            line,
            ..Default::default()
        }
    }

    fn page() -> Vec<Seg> {
        let lead = "市图书馆延长夜间开放时间，读者下班后也能借书还书。".repeat(30);
        let other = "河畔新村建起共享花园，居民轮流照看花草蔬菜。".repeat(30);
        let mut frag = article(40, "", "本版责编 林晓", &[]);
        frag.fragment = true;
        vec![
            article(0, "市图书馆延长夜间开放时间", &lead, &["本报记者 林晓岚"]),
            article(10, "", &other, &["本报记者 王芳", "本报记者 李强"]),
            frag,
        ]
    }

    #[test]
    fn summary_counts_what_each_article_has() {
        let s = summary(&page());
        assert_eq!(s.articles, 2, "the fragment is not an article");
        assert_eq!(s.matched, 1);
        assert_eq!(s.bylines, 2);
        assert_eq!(s.two_bylines, 1);
        assert_eq!(s.untitled, 1);
        assert_eq!(
            s.starts,
            vec![1, 11],
            "articles start at their first byline or body line"
        );
        // a full match with a byline (2 points), an untitled article (half a point off)
        assert!((s.coherence - 1.5).abs() < 1e-9, "{}", s.coherence);
    }

    #[test]
    fn features_of_a_cut_against_itself_say_the_cuts_agree() {
        let lines = super::super::lines::classify("标题\n\n正文一行。\n\n第二段。");
        assert_eq!(lines.len(), 5);
        let s = summary(&page());
        let f = features(&lines, &s, &s);
        let get = |name: &str| f[NAMES.iter().position(|n| *n == name).unwrap()];
        assert_eq!(get("coh_diff"), 0.0);
        assert_eq!(get("log_n_ratio"), 0.0);
        assert_eq!(get("agree"), 1.0);
        assert_eq!(get("match_r"), get("match_l"));
        assert_eq!(get("two_bylines_r"), 0.5);
        assert!((get("blank_share") - 2.0 / 5.0).abs() < 1e-9);
    }

    #[test]
    fn a_cut_that_merges_articles_under_one_headline_loses_the_choice() {
        // the rules' cut: one article holding two, with both bylines; the labeller's: two
        // articles, each under its own matching headline and byline
        let lead = "市图书馆延长夜间开放时间，读者下班后也能借书还书。".repeat(30);
        let other = "河畔新村建起共享花园，居民轮流照看花草蔬菜。".repeat(30);
        let merged = vec![article(
            0,
            "市图书馆延长夜间开放时间",
            &(lead.clone() + &other),
            &["本报记者 林晓岚", "本报记者 王芳"],
        )];
        let two = vec![
            article(0, "市图书馆延长夜间开放时间", &lead, &["本报记者 林晓岚"]),
            article(10, "河畔新村建起共享花园", &other, &["本报记者 王芳"]),
        ];
        let lines = super::super::lines::classify(&"正文一行。\n".repeat(20));
        assert!(prefer_labeller(&lines, &merged, &summary(&two)));
        // the labeller is usually right (the constant term), but not whatever it says: the
        // same two cuts the other way round are a much weaker case for it
        let odds = |r: &[Seg], l: &[Seg]| log_odds(&features(&lines, &summary(r), &summary(l)));
        assert!(
            odds(&merged, &two) > odds(&two, &merged) + 2.0,
            "{} against {}",
            odds(&merged, &two),
            odds(&two, &merged)
        );
    }

    /// The gate decides from the labeller's cut alone: whatever the rules' cut would be, its
    /// log-odds is the same, so not making that cut changes nothing it sees.
    #[test]
    fn the_gate_reads_only_the_labellers_cut() {
        let lines = super::super::lines::classify(&"正文一行。\n\n".repeat(10));
        let lab = summary(&page());
        let gate =
            |rules: &Summary| linear(GATE_BIAS, &GATE_WEIGHTS, &features(&lines, rules, &lab));
        let odd = Summary {
            articles: 7,
            matched: 3,
            bylines: 5,
            two_bylines: 2,
            untitled: 4,
            coherence: -2.5,
            starts: vec![0, 3, 9],
        };
        for rules in [Summary::default(), lab.clone(), odd] {
            assert_eq!(gate(&rules), gate_log_odds(&lines, &lab));
        }
        // and every figure it weighs is the labeller's own or the page's
        for (name, w) in NAMES.iter().zip(GATE_WEIGHTS) {
            if w != 0.0 {
                assert!(
                    name.ends_with("_l") || *name == "coh_l_per" || *name == "blank_share",
                    "{name}"
                );
            }
        }
        // a clean cut (every article under its own matching headline, with a byline) on a page
        // of no blank lines skips the rules; an untitled one does not
        let lead = "市图书馆延长夜间开放时间，读者下班后也能借书还书。".repeat(30);
        let other = "河畔新村建起共享花园，居民轮流照看花草蔬菜。".repeat(30);
        let clean = vec![
            article(0, "市图书馆延长夜间开放时间", &lead, &["本报记者 林晓岚"]),
            article(10, "河畔新村建起共享花园", &other, &["本报记者 王芳"]),
        ];
        let column = super::super::lines::classify(&"正文一行。\n".repeat(20));
        assert!(!rules_needed(&column, &summary(&clean)));
        let untitled = vec![article(0, "", &lead, &[]), article(10, "", &other, &[])];
        assert!(rules_needed(&column, &summary(&untitled)));
    }

    #[test]
    fn a_cut_without_articles_neither_skips_the_rules_nor_wins_against_articles() {
        let lead = "浦东新区召开劳动关系大会，表彰一批先进企业和个人。".repeat(8);
        let rules = vec![article(0, "浦东新区召开劳动关系大会", &lead, &[])];
        let mut fragment = article(0, "浦东新区召开劳动关系大会", &lead, &[]);
        fragment.fragment = true;
        let none = summary(&[fragment]);
        assert_eq!(none.articles, 0);
        let column = super::super::lines::classify(&"正文一行。\n".repeat(20));
        assert!(rules_needed(&column, &none));
        assert!(!prefer_labeller(&column, &rules, &none));
        // with no article on either side the fitted model still decides
        let f = features(&column, &summary(&[]), &none);
        assert_eq!(prefer_labeller(&column, &[], &none), log_odds(&f) > 0.0);
    }

    #[test]
    fn no_choice_without_articles_panics_or_divides_by_zero() {
        let f = features(&[], &summary(&[]), &summary(&[]));
        assert!(f.iter().all(|x| x.is_finite()), "{f:?}");
        assert!(log_odds(&f).is_finite());
        assert!(gate_log_odds(&[], &summary(&[])).is_finite());
    }
}
