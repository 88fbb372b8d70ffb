//! Markdown to terminal lines: pulldown-cmark events (with tables, task
//! lists and strikethrough) rendered into styled, pre-wrapped
//! [`ratatui::text::Line`]s for a given width.
//!
//! Over 600 lines (about 790 before its tests): one renderer of every markdown construct, each
//! a few lines of the same event loop.
//!
//! Headings keep their `#` markers, lists their bullets or numbers (task
//! items show `[x]`/`[ ]`), block quotes a bar, fenced code a frame naming
//! its language, tables aligned columns that wrap within their cells, and
//! links their text followed by the URL. Every link is also returned so the
//! detail screen can follow it. All text passes through
//! [`crate::document::text::inert`]: nothing from a document reaches the
//! terminal as a control sequence.
//!
//! Why one file of about 860 lines (80 of them tests): it is one renderer,
//! a single state machine over the event stream in which lists, quotes,
//! code blocks and tables nest in each other; split, that state would be
//! spread over files that only make sense together.

use super::cells::{clean, clusters, width};
use super::theme::Theme;
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// A link found in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) text: String,
    pub(crate) url: String,
}

/// Rendered lines and the links they contain.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The lines to draw, styled, wrapped to the width asked for.
    pub lines: Vec<Line<'static>>,
    pub(crate) links: Vec<Link>,
    /// Task-list items (`- [ ] …`), in order.
    pub tasks: Vec<TaskLines>,
}

/// Where a task-list item came from and where it was drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLines {
    /// The bytes of its `[ ]` marker in the markdown rendered.
    pub source: std::ops::Range<usize>,
    /// Its rendered lines (wrapped text and nested blocks included).
    pub lines: std::ops::Range<usize>,
}

type Frag = (String, Style);

enum Container {
    Quote,
    List(Option<u64>),
    Item {
        marker: Vec<Frag>,
        width: usize,
        first: bool,
    },
}

struct Table {
    aligns: Vec<Alignment>,
    head: Option<Vec<Vec<Frag>>>,
    rows: Vec<Vec<Vec<Frag>>>,
    row: Vec<Vec<Frag>>,
}

struct Writer<'t> {
    theme: &'t Theme,
    width: usize,
    out: Rendered,
    stack: Vec<Container>,
    inline: Vec<Frag>,
    styles: Vec<Style>,
    links: Vec<(String, String)>,
    heading: Option<HeadingLevel>,
    code: Option<(String, String)>,
    html: Option<String>,
    table: Option<Table>,
    last_blank: bool,
    /// The source range of the event being handled.
    at: std::ops::Range<usize>,
    /// Per open list item, the task it is (an index into `out.tasks`).
    items: Vec<Option<usize>>,
    /// A task whose first line is the next one emitted.
    task_first: Option<usize>,
}

/// Render markdown `md` for a `width`-column area.
pub(crate) fn render(md: &str, width: u16, theme: &Theme) -> Rendered {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let mut w = Writer {
        theme,
        width: usize::from(width).max(1),
        out: Rendered::default(),
        stack: Vec::new(),
        inline: Vec::new(),
        styles: vec![theme.base()],
        links: Vec::new(),
        heading: None,
        code: None,
        html: None,
        table: None,
        last_blank: true,
        at: 0..0,
        items: Vec::new(),
        task_first: None,
    };
    for (ev, at) in Parser::new_ext(md, opts).into_offset_iter() {
        w.at = at;
        w.event(ev);
    }
    w.flush();
    while w.out.lines.last().is_some_and(|l| l.width() == 0 || is_blank(l)) {
        w.out.lines.pop();
    }
    w.out
}

fn is_blank(l: &Line<'_>) -> bool {
    l.spans
        .iter()
        .all(|s| s.content.trim().is_empty() || s.content.trim() == "│")
}

enum Tok {
    Word(Vec<Frag>, usize),
    Space,
    Break,
}

fn push_frag(v: &mut Vec<Frag>, s: &str, style: Style) {
    if s.is_empty() {
        return;
    }
    match v.last_mut() {
        Some((t, st)) if *st == style => t.push_str(s),
        _ => v.push((s.to_string(), style)),
    }
}

fn tokenize(frags: &[Frag]) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut word: Vec<Frag> = Vec::new();
    let mut ww = 0;
    let end_word = |toks: &mut Vec<Tok>, word: &mut Vec<Frag>, ww: &mut usize| {
        if !word.is_empty() {
            toks.push(Tok::Word(std::mem::take(word), *ww));
            *ww = 0;
        }
    };
    for (text, style) in frags {
        if text == "\n" {
            end_word(&mut toks, &mut word, &mut ww);
            toks.push(Tok::Break);
            continue;
        }
        for (cl, w) in clusters(text) {
            if cl.chars().all(char::is_whitespace) {
                end_word(&mut toks, &mut word, &mut ww);
                if !matches!(toks.last(), Some(Tok::Space)) {
                    toks.push(Tok::Space);
                }
            } else {
                push_frag(&mut word, cl, *style);
                ww += w;
            }
        }
    }
    end_word(&mut toks, &mut word, &mut ww);
    toks
}

/// Word-wrap styled fragments into lines of at most `width` columns; words
/// longer than a line break between characters.
fn wrap(frags: &[Frag], width: usize) -> Vec<Vec<Frag>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Frag>> = Vec::new();
    let mut cur: Vec<Frag> = Vec::new();
    let mut cur_w = 0;
    let mut space: Option<Style> = None;
    let mut space_style = Style::default();
    for tok in tokenize(frags) {
        match tok {
            Tok::Break => {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
                space = None;
            }
            Tok::Space => {
                if cur_w > 0 {
                    space = Some(space_style);
                }
            }
            Tok::Word(word, ww) => {
                space_style = word.last().map(|f| f.1).unwrap_or_default();
                let gap = usize::from(space.is_some());
                if cur_w + gap + ww <= width {
                    if let Some(st) = space.take() {
                        push_frag(&mut cur, " ", st);
                        cur_w += 1;
                    }
                    for (t, st) in word {
                        push_frag(&mut cur, &t, st);
                    }
                    cur_w += ww;
                    continue;
                }
                space = None;
                if ww <= width {
                    lines.push(std::mem::take(&mut cur));
                    for (t, st) in word {
                        push_frag(&mut cur, &t, st);
                    }
                    cur_w = ww;
                    continue;
                }
                // Longer than a line: break between characters.
                if cur_w > 0 && cur_w + 1 < width {
                    push_frag(&mut cur, " ", space_style);
                    cur_w += 1;
                } else if cur_w > 0 {
                    lines.push(std::mem::take(&mut cur));
                    cur_w = 0;
                }
                for (t, st) in word {
                    for (cl, w) in clusters(&t) {
                        if cur_w + w > width && cur_w > 0 {
                            lines.push(std::mem::take(&mut cur));
                            cur_w = 0;
                        }
                        push_frag(&mut cur, cl, st);
                        cur_w += w;
                    }
                }
            }
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

fn frags_width(f: &[Frag]) -> usize {
    f.iter().map(|(t, _)| width(t)).sum()
}

fn to_spans(f: Vec<Frag>) -> Vec<Span<'static>> {
    f.into_iter().map(|(t, s)| Span::styled(t, s)).collect()
}

impl Writer<'_> {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, f: impl FnOnce(Style) -> Style) {
        let s = f(self.style());
        self.styles.push(s);
    }

    fn pop_style(&mut self) {
        if self.styles.len() > 1 {
            self.styles.pop();
        }
    }

    /// Prefix for the next line: quote bars and list indents; consumes
    /// list markers when `first`.
    fn prefix(&mut self, consume: bool) -> (Vec<Frag>, usize) {
        let quote = self.theme.fg(self.theme.palette.quote);
        let mut v = Vec::new();
        let mut w = 0;
        for c in &mut self.stack {
            match c {
                Container::Quote => {
                    push_frag(&mut v, "│ ", quote);
                    w += 2;
                }
                Container::List(_) => {}
                Container::Item { marker, width, first } => {
                    if *first && consume {
                        for (t, s) in marker.iter() {
                            push_frag(&mut v, t, *s);
                        }
                        *first = false;
                    } else {
                        push_frag(&mut v, &" ".repeat(*width), Style::default());
                    }
                    w += *width;
                }
            }
        }
        (v, w)
    }

    fn avail(&self) -> usize {
        let used: usize = self
            .stack
            .iter()
            .map(|c| match c {
                Container::Quote => 2,
                Container::List(_) => 0,
                Container::Item { width, .. } => *width,
            })
            .sum();
        self.width.saturating_sub(used).max(1)
    }

    fn emit(&mut self, content: Vec<Frag>) {
        let (mut p, _) = self.prefix(true);
        self.last_blank = content.iter().all(|(t, _)| t.trim().is_empty());
        p.extend(content);
        if let Some(t) = self.task_first.take().and_then(|i| self.out.tasks.get_mut(i)) {
            t.lines = self.out.lines.len()..self.out.lines.len();
        }
        self.out.lines.push(Line::from(to_spans(p)));
    }

    fn blank(&mut self) {
        if self.last_blank {
            return;
        }
        let item_start = self
            .stack
            .iter()
            .rev()
            .find_map(|c| match c {
                Container::Item { first, .. } => Some(*first),
                _ => None,
            })
            .unwrap_or(false);
        if item_start {
            return;
        }
        let (p, _) = self.prefix(false);
        let p: Vec<Frag> = p.into_iter().map(|(t, s)| (t.trim_end().to_string(), s)).collect();
        self.out.lines.push(Line::from(to_spans(p)));
        self.last_blank = true;
    }

    /// Write out pending inline text as wrapped lines.
    fn flush(&mut self) {
        if self.inline.is_empty() {
            return;
        }
        let frags = std::mem::take(&mut self.inline);
        if frags.iter().all(|(t, _)| t.trim().is_empty()) {
            return;
        }
        let avail = self.avail();
        for line in wrap(&frags, avail) {
            self.emit(line);
        }
    }

    fn text(&mut self, t: &str) {
        let style = self.style();
        if let Some((_, text)) = self.links.last_mut() {
            text.push_str(t);
        }
        push_frag(&mut self.inline, &clean(t), style);
    }

    fn event(&mut self, ev: Event<'_>) {
        if let Some((_, code)) = &mut self.code {
            match ev {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        if let Some(html) = &mut self.html {
            match ev {
                Event::Html(t) | Event::Text(t) => html.push_str(&t),
                Event::End(TagEnd::HtmlBlock) => self.end_html(),
                _ => {}
            }
            return;
        }
        let th = self.theme;
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                let st = self.style().patch(th.fg(th.palette.code)).bg(if th.color {
                    th.palette.code_bg
                } else {
                    ratatui::style::Color::Reset
                });
                if let Some((_, text)) = self.links.last_mut() {
                    text.push_str(&t);
                }
                push_frag(&mut self.inline, &clean(&t), st);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::Html(t) | Event::InlineHtml(t) => {
                let st = th.dim();
                push_frag(&mut self.inline, &clean(&t), st);
            }
            Event::FootnoteReference(t) => self.text(&format!("[^{t}]")),
            Event::SoftBreak => {
                let st = self.style();
                push_frag(&mut self.inline, " ", st);
            }
            Event::HardBreak => self.inline.push(("\n".into(), Style::default())),
            Event::Rule => {
                self.flush();
                self.blank();
                let n = self.avail();
                self.emit(vec![("─".repeat(n), th.fg(th.palette.rule))]);
                self.last_blank = false;
            }
            Event::TaskListMarker(done) => {
                let (t, c) = if done {
                    ("[x] ", th.palette.checkbox_done)
                } else {
                    ("[ ] ", th.palette.checkbox_todo)
                };
                let st = th.fg(c).add_modifier(Modifier::BOLD);
                let i = self.out.tasks.len();
                self.out.tasks.push(TaskLines {
                    source: self.at.clone(),
                    lines: self.out.lines.len()..self.out.lines.len(),
                });
                self.task_first = Some(i);
                if let Some(slot) = self.items.last_mut() {
                    *slot = Some(i);
                }
                if let Some(Container::Item { marker, width, .. }) = self.stack.last_mut() {
                    *marker = vec![(t.to_string(), st)];
                    *width = 4;
                } else {
                    push_frag(&mut self.inline, t, st);
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let th = self.theme;
        match tag {
            Tag::Paragraph => {
                self.flush();
                self.blank();
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank();
                self.heading = Some(level);
                let (c, extra) = match level {
                    HeadingLevel::H1 => (th.palette.heading1, Modifier::BOLD | Modifier::UNDERLINED),
                    HeadingLevel::H2 => (th.palette.heading2, Modifier::BOLD),
                    _ => (th.palette.heading3, Modifier::BOLD),
                };
                let marks = "#".repeat(level as usize);
                self.inline.push((format!("{marks} "), th.dim()));
                self.push_style(|s| s.patch(th.fg(c)).add_modifier(extra));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.blank();
                self.stack.push(Container::Quote);
                self.push_style(|s| s.patch(th.fg(th.palette.quote)).add_modifier(Modifier::ITALIC));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                self.blank();
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::HtmlBlock => {
                self.flush();
                self.blank();
                self.html = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                if !self.stack.iter().any(|c| matches!(c, Container::Item { .. })) {
                    self.blank();
                }
                self.stack.push(Container::List(start));
            }
            Tag::Item => {
                self.flush();
                self.items.push(None);
                let mut marker = "• ".to_string();
                if let Some(Container::List(Some(n))) = self.stack.last_mut() {
                    marker = format!("{n}. ");
                    *n += 1;
                }
                let w = width(&marker);
                let st = th.fg(th.palette.accent);
                self.stack.push(Container::Item {
                    marker: vec![(marker, st)],
                    width: w,
                    first: true,
                });
            }
            Tag::Table(aligns) => {
                self.flush();
                self.blank();
                self.table = Some(Table {
                    aligns,
                    head: None,
                    rows: Vec::new(),
                    row: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.row.clear();
                }
            }
            Tag::TableCell => self.inline.clear(),
            Tag::Emphasis => self.push_style(|s| s.add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(|s| s.add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(|s| s.add_modifier(Modifier::CROSSED_OUT)),
            Tag::Superscript | Tag::Subscript => self.push_style(|s| s),
            Tag::Link { dest_url, .. } => {
                self.links.push((dest_url.to_string(), String::new()));
                self.push_style(|s| s.patch(th.fg(th.palette.link)).add_modifier(Modifier::UNDERLINED));
            }
            Tag::Image { dest_url, .. } => {
                self.links.push((dest_url.to_string(), String::new()));
                let st = th.dim();
                push_frag(&mut self.inline, "[image: ", st);
                self.push_style(|s| s.patch(th.fg(th.palette.link)));
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {
                self.flush();
                self.blank();
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(_) => {
                self.flush();
                self.pop_style();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.pop_style();
                if let Some(i) = self.stack.iter().rposition(|c| matches!(c, Container::Quote)) {
                    self.stack.truncate(i);
                }
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                if let Some(i) = self.stack.iter().rposition(|c| matches!(c, Container::List(_))) {
                    self.stack.truncate(i);
                }
                if !self.stack.iter().any(|c| matches!(c, Container::Item { .. })) {
                    self.blank();
                }
            }
            TagEnd::Item => {
                self.flush();
                if let Some(Container::Item { first: true, .. }) = self.stack.last() {
                    self.emit(Vec::new());
                }
                if let Some(t) = self.items.pop().flatten().and_then(|i| self.out.tasks.get_mut(i)) {
                    t.lines.end = self.out.lines.len().max(t.lines.start + 1);
                }
                if let Some(i) = self.stack.iter().rposition(|c| matches!(c, Container::Item { .. })) {
                    self.stack.truncate(i);
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(t) = &mut self.table {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.head = Some(std::mem::take(&mut t.row));
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let r = std::mem::take(&mut t.row);
                    t.rows.push(r);
                }
            }
            TagEnd::Table => self.end_table(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript => {
                self.pop_style()
            }
            TagEnd::Link => {
                self.pop_style();
                if let Some((url, text)) = self.links.pop() {
                    if !url.is_empty() && url != text.trim() && format!("mailto:{}", text.trim()) != url {
                        let st = self.theme.dim();
                        push_frag(&mut self.inline, &format!(" ({})", clean(&url)), st);
                    }
                    if let Some((_, outer)) = self.links.last_mut() {
                        outer.push_str(&text);
                    }
                    self.out.links.push(Link { text, url });
                }
            }
            TagEnd::Image => {
                self.pop_style();
                let st = self.theme.dim();
                if let Some((url, text)) = self.links.pop() {
                    push_frag(&mut self.inline, &format!("] ({})", clean(&url)), st);
                    self.out.links.push(Link { text, url });
                }
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock => {}
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => self.flush(),
        }
    }

    fn end_code(&mut self) {
        let Some((lang, text)) = self.code.take() else {
            return;
        };
        let th = self.theme;
        let frame = th.fg(th.palette.rule);
        let code = th.fg(th.palette.code).bg(if th.color {
            th.palette.code_bg
        } else {
            ratatui::style::Color::Reset
        });
        let mut head = vec![("┌─".to_string(), frame)];
        if !lang.is_empty() {
            head.push((" ".into(), frame));
            head.push((
                clean(&lang).into_owned(),
                th.fg(th.palette.accent).add_modifier(Modifier::BOLD),
            ));
        }
        self.emit(head);
        let room = self.avail().saturating_sub(2).max(1);
        let body = text.strip_suffix('\n').unwrap_or(&text);
        for raw in body.split('\n') {
            let line = clean(raw.strip_suffix('\r').unwrap_or(raw)).into_owned();
            let mut pieces: Vec<String> = vec![String::new()];
            let mut w = 0;
            for (cl, cw) in clusters(&line) {
                if w + cw > room && w > 0 {
                    pieces.push(String::new());
                    w = 0;
                }
                if let Some(p) = pieces.last_mut() {
                    p.push_str(cl);
                }
                w += cw;
            }
            for p in pieces {
                self.emit(vec![("│ ".into(), frame), (p, code)]);
            }
        }
        self.emit(vec![("└─".into(), frame)]);
        self.last_blank = false;
    }

    fn end_html(&mut self) {
        let Some(text) = self.html.take() else {
            return;
        };
        let st = self.theme.dim();
        let avail = self.avail();
        for raw in text.trim_end().split('\n') {
            let line = clean(raw.trim_end_matches('\r')).into_owned();
            for l in wrap(&[(line, st)], avail) {
                self.emit(l);
            }
        }
    }

    fn end_table(&mut self) {
        let Some(t) = self.table.take() else {
            return;
        };
        let th = self.theme;
        let border = th.fg(th.palette.table_border);
        let ncols = t
            .head
            .iter()
            .chain(t.rows.iter())
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(t.aligns.len());
        if ncols == 0 {
            return;
        }
        let mut natural = vec![1usize; ncols];
        let mut longest_word = vec![1usize; ncols];
        for row in t.head.iter().chain(t.rows.iter()) {
            for (i, cell) in row.iter().enumerate().take(ncols) {
                natural[i] = natural[i].max(frags_width(cell));
                for tok in tokenize(cell) {
                    if let Tok::Word(_, w) = tok {
                        longest_word[i] = longest_word[i].max(w);
                    }
                }
            }
        }
        let avail = self.avail().saturating_sub(3 * (ncols - 1)).max(ncols);
        let widths = column_widths(&natural, &longest_word, avail);
        let head_style = th.header();
        let draw_row = |w: &mut Self, row: &[Vec<Frag>], head: bool| {
            let cells: Vec<Vec<Vec<Frag>>> = (0..ncols)
                .map(|i| {
                    let mut cell = row.get(i).cloned().unwrap_or_default();
                    if head {
                        for f in &mut cell {
                            f.1 = f.1.patch(head_style);
                        }
                    }
                    wrap(&cell, widths[i])
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for l in 0..height {
                let mut line: Vec<Frag> = Vec::new();
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        line.push((" │ ".into(), border));
                    }
                    let content = cell.get(l).cloned().unwrap_or_default();
                    let cw = frags_width(&content);
                    let pad = widths[i].saturating_sub(cw);
                    let (left, right) = match t.aligns.get(i) {
                        Some(Alignment::Right) => (pad, 0),
                        Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                        _ => (0, pad),
                    };
                    if left > 0 {
                        line.push((" ".repeat(left), Style::default()));
                    }
                    line.extend(content);
                    if right > 0 && i + 1 < ncols {
                        line.push((" ".repeat(right), Style::default()));
                    }
                }
                w.emit(line);
            }
        };
        if let Some(h) = &t.head {
            draw_row(self, h, true);
            let sep: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            self.emit(vec![(sep.join("─┼─"), border)]);
        }
        for r in &t.rows {
            draw_row(self, r, false);
        }
        self.last_blank = false;
    }
}

/// Share `avail` columns between table columns: natural widths when they
/// fit; else every column gets its longest word and the rest goes to the
/// columns with the most text left; else longest words scaled down.
fn column_widths(natural: &[usize], longest_word: &[usize], avail: usize) -> Vec<usize> {
    let total: usize = natural.iter().sum();
    if total <= avail {
        return natural.to_vec();
    }
    let mins: Vec<usize> = natural.iter().zip(longest_word).map(|(n, w)| (*w).min(*n)).collect();
    let min_total: usize = mins.iter().sum();
    if min_total <= avail {
        let mut widths = mins.clone();
        let mut spare = avail - min_total;
        let want: usize = natural.iter().zip(&mins).map(|(n, m)| n - m).sum();
        for (i, w) in widths.iter_mut().enumerate() {
            let share = (natural[i] - mins[i]) * spare / want.max(1);
            *w += share;
        }
        spare = avail.saturating_sub(widths.iter().sum());
        // Hand out what rounding left, one column at a time.
        while spare > 0 {
            let Some(i) = (0..widths.len())
                .filter(|&i| widths[i] < natural[i])
                .max_by_key(|&i| natural[i] - widths[i])
            else {
                break;
            };
            widths[i] += 1;
            spare -= 1;
        }
        return widths;
    }
    let floor = (avail / natural.len().max(1)).clamp(1, 3);
    mins.iter().map(|m| (m * avail / min_total.max(1)).max(floor)).collect()
}

/// The plain text of rendered lines (for tests and copying).
pub fn plain(lines: &[Line<'_>]) -> String {
    let mut s = String::new();
    for l in lines {
        for sp in &l.spans {
            s.push_str(&sp.content);
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(md: &str, w: u16) -> (String, Rendered) {
        let out = render(md, w, &Theme::default());
        (plain(&out.lines), out)
    }

    #[test]
    fn blocks() {
        let md = "# Title\n\nSome *em* and **strong** and ~~gone~~ `code`.\n\n- a\n- [x] done\n- [ ] todo\n\n1. one\n2. two\n\n> quoted\n\n```ts\nconst x = 1;\n```\n\n---\n";
        let (text, _) = r(md, 40);
        insta_like(
            &text,
            "# Title\n\nSome em and strong and gone code.\n\n• a\n[x] done\n[ ] todo\n\n1. one\n2. two\n\n│ quoted\n\n┌─ ts\n│ const x = 1;\n└─\n\n────────────────────────────────────────\n",
        );
    }

    fn insta_like(got: &str, want: &str) {
        assert_eq!(got, want, "\n--- got ---\n{got}\n--- want ---\n{want}");
    }

    #[test]
    fn wraps_with_hanging_indent() {
        let (text, _) = r("- alpha beta gamma delta\n", 12);
        insta_like(&text, "• alpha beta\n  gamma\n  delta\n");
        let (text, _) = r("> one two three four\n", 10);
        insta_like(&text, "│ one two\n│ three\n│ four\n");
        let (text, _) = r("漢字漢字漢字漢字\n", 6);
        insta_like(&text, "漢字漢\n字漢字\n漢字\n");
    }

    #[test]
    fn links_are_listed_and_shown_with_url() {
        let (text, out) = r("See [ADR 2](0002-x.md) and <https://e.com>.\n", 80);
        insta_like(&text, "See ADR 2 (0002-x.md) and https://e.com.\n");
        assert_eq!(out.links.len(), 2);
        assert_eq!(out.links[0].url, "0002-x.md");
        assert_eq!(out.links[0].text, "ADR 2");
    }

    #[test]
    fn tables_align_and_shrink() {
        let md = "| Date | Action |\n|------|-------:|\n| 2026-01-26 | Created |\n";
        let (text, _) = r(md, 80);
        insta_like(
            &text,
            "Date       │  Action\n───────────┼────────\n2026-01-26 │ Created\n",
        );
        let (text, _) = r("| a | b |\n|---|---|\n| long words here | x |\n", 12);
        for l in text.lines() {
            assert!(width(l) <= 12, "{l:?}");
        }
    }

    #[test]
    fn table_columns_keep_words_whole_when_they_can() {
        assert_eq!(column_widths(&[10, 5], &[4, 5], 20), [10, 5]);
        // File paths keep their length; the prose column wraps.
        let w = column_widths(&[48, 30, 14], &[40, 16, 6], 72);
        assert_eq!(w.iter().sum::<usize>(), 72);
        assert!(w[0] >= 40 && w[1] >= 16 && w[2] >= 6, "{w:?}");
        let w = column_widths(&[48, 30, 14], &[40, 16, 6], 30);
        assert!(w.iter().all(|&x| x >= 1), "{w:?}");
    }

    #[test]
    fn control_characters_are_inert() {
        let (text, _) = r("a \x1b[31mred\x07\n\n```\n\x1b]0;title\x07\n```\n", 40);
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(text.contains('\u{241b}'));
    }

    #[test]
    fn tiny_widths_do_not_loop() {
        let md = "# Heading\n\n- item with words\n\n| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n\n```\nlong code line\n```\n";
        for w in 0..6 {
            let _ = r(md, w);
        }
    }
}
