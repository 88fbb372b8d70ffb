//! `cargo run --example screenshot`: draw the terminal UI's list of the
//! bundled samples (`findings/`, `adr/`), the selected document previewed
//! beside it, on ratatui's `TestBackend` at 160x36 and write it as `docs/screenshot.svg`, each cell with its colours
//! and bold/underline, for the README. `tests/readme.rs` draws it again and
//! fails when the checked-in image is stale.
//!
//! "Today" is fixed so the Age column does not change with the clock.

use findings::store::Repo;
use findings::tui::{view, App, AppOptions};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use std::fmt::Write;
use std::path::{Path, PathBuf};

pub const SIZE: (u16, u16) = (160, 36);
const CELL_W: f64 = 8.4;
const CELL_H: f64 = 18.0;
const DEFAULT_FG: &str = "#d8dee9";
const DEFAULT_BG: &str = "#1e2127";

/// Where the image lives in the repository.
pub fn target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshot.svg")
}

/// The current TUI's first frame on the bundled samples, as SVG.
pub fn render() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = Repo::open(root).expect("the bundled samples load");
    let mut app = App::new(
        repo,
        AppOptions {
            today: chrono::NaiveDate::from_ymd_opt(2026, 2, 1).expect("a date"),
            size: SIZE,
            ..AppOptions::default()
        },
    );
    // The preview is read when the UI is idle: do that work first.
    while app.busy() {
        app.work();
    }
    let mut t = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("a test terminal");
    t.draw(|f| view(&app, f)).expect("a frame");
    svg(t.backend().buffer())
}

fn hex(c: Color, default: &str) -> String {
    let named = |i: u8| -> &'static str {
        [
            "#1e2127", "#e06c75", "#98c379", "#d19a66", "#61afef", "#c678dd", "#56b6c2", "#abb2bf", "#5c6370",
            "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#ffffff",
        ][i as usize & 15]
    };
    match c {
        Color::Reset => default.to_string(),
        Color::Black => named(0).into(),
        Color::Red => named(1).into(),
        Color::Green => named(2).into(),
        Color::Yellow => named(3).into(),
        Color::Blue => named(4).into(),
        Color::Magenta => named(5).into(),
        Color::Cyan => named(6).into(),
        Color::Gray => named(7).into(),
        Color::DarkGray => named(8).into(),
        Color::LightRed => named(9).into(),
        Color::LightGreen => named(10).into(),
        Color::LightYellow => named(11).into(),
        Color::LightBlue => named(12).into(),
        Color::LightMagenta => named(13).into(),
        Color::LightCyan => named(14).into(),
        Color::White => named(15).into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) if i < 16 => named(i).into(),
        Color::Indexed(i) if i >= 232 => {
            let v = 8 + (i - 232) * 10;
            format!("#{v:02x}{v:02x}{v:02x}")
        }
        Color::Indexed(i) => {
            let i = i - 16;
            let l = |x: u8| if x == 0 { 0 } else { 55 + x * 40 };
            format!("#{:02x}{:02x}{:02x}", l(i / 36), l(i / 6 % 6), l(i % 6))
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The buffer as SVG: one rectangle per run of one background, one text
/// element per run of one style, stretched to its cells.
pub fn svg(buf: &Buffer) -> String {
    let (w, h) = (buf.area.width, buf.area.height);
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{:.0}" height="{:.0}" viewBox="0 0 {:.0} {:.0}" font-family="'DejaVu Sans Mono','Menlo','Consolas',monospace" font-size="14">"#,
        w as f64 * CELL_W,
        h as f64 * CELL_H,
        w as f64 * CELL_W,
        h as f64 * CELL_H
    );
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="{DEFAULT_BG}"/>"#);
    for y in 0..h {
        // Cells of this row: (x, width in cells, symbol, fg, bg, bold, underline).
        let mut cells = Vec::new();
        let mut x = 0;
        while x < w {
            let c = &buf[(x, y)];
            let sym = c.symbol();
            let cw = unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            let rev = c.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (hex(c.fg, DEFAULT_FG), hex(c.bg, DEFAULT_BG));
            if rev {
                std::mem::swap(&mut fg, &mut bg);
            }
            let bold = c.modifier.contains(Modifier::BOLD);
            let under = c.modifier.contains(Modifier::UNDERLINED);
            let dim = c.modifier.contains(Modifier::DIM);
            cells.push((x, cw, sym.to_string(), fg, bg, bold, under, dim));
            x += cw;
        }
        let top = y as f64 * CELL_H;
        // Backgrounds.
        let mut i = 0;
        while i < cells.len() {
            let mut j = i;
            let mut span = 0;
            while j < cells.len() && cells[j].4 == cells[i].4 {
                span += cells[j].1;
                j += 1;
            }
            if cells[i].4 != DEFAULT_BG {
                let _ = writeln!(
                    o,
                    r#"<rect x="{:.1}" y="{top:.0}" width="{:.1}" height="{CELL_H:.0}" fill="{}"/>"#,
                    cells[i].0 as f64 * CELL_W,
                    span as f64 * CELL_W,
                    cells[i].4
                );
            }
            i = j;
        }
        // Text runs of one style; blanks end a run.
        let mut i = 0;
        while i < cells.len() {
            if cells[i].2.trim().is_empty() {
                i += 1;
                continue;
            }
            let key = |k: usize| (&cells[k].3, cells[k].5, cells[k].6, cells[k].7);
            let mut j = i;
            let mut text = String::new();
            let mut span = 0;
            while j < cells.len()
                && key(j) == key(i)
                && !(cells[j].2.trim().is_empty() && j + 1 < cells.len() && cells[j + 1].2.trim().is_empty())
            {
                text.push_str(&cells[j].2);
                span += cells[j].1;
                j += 1;
            }
            let text = text.trim_end();
            let (_, _, _, fg, _, bold, under, dim) = &cells[i];
            let mut attrs = String::new();
            if *bold {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if *under {
                attrs.push_str(r#" text-decoration="underline""#);
            }
            if *dim {
                attrs.push_str(r#" opacity="0.6""#);
            }
            let chars = unicode_width::UnicodeWidthStr::width(text) as f64;
            let _ = writeln!(
                o,
                r#"<text x="{:.1}" y="{:.1}" fill="{fg}" textLength="{:.1}" lengthAdjust="spacingAndGlyphs" xml:space="preserve"{attrs}>{}</text>"#,
                cells[i].0 as f64 * CELL_W,
                top + CELL_H * 0.75,
                chars.min(span as f64) * CELL_W,
                escape(text)
            );
            i = j;
        }
    }
    o.push_str("</svg>\n");
    o
}

#[allow(dead_code)]
fn main() {
    let svg = render();
    let path = target();
    if let Err(e) =
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).and_then(|_| std::fs::write(&path, svg))
    {
        eprintln!("screenshot: {}: {e}", path.display());
        std::process::exit(1);
    }
    println!("wrote {}", path.display());
}
