//! `plots/`: the figures of a run as SVG, drawn with plotters.
//!
//! | file | what |
//! |---|---|
//! | `trt_cdf.svg` | CDF of the TRT per CSP region and per SR class, with the target ([`trt_cdf`]) |
//! | `stage_utilisation.svg` | utilisation of each stage over time ([`stage_series`]) |
//! | `stage_queue.svg` | mean requests queued at each stage over time ([`stage_series`]) |
//!
//! Each figure is drawn once, without fonts ([`Plot::svg`]); [`Plot::standalone`]
//! names the font for the file on disk (kept small: 100 KB or less), and
//! [`Plot::inline`] fits it for `report.html`, which carries the font once for all
//! figures. The legend sits
//! below the chart, so it never hides data.

pub mod rollout;
pub mod stage_series;
pub mod sweep;
pub mod trt_cdf;

use plotters::coord::Shift;
use plotters::element::{DashedPathElement, PathElement, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use models::RunOutput;

use crate::ReportError;
use crate::stages::StageSeries;
use crate::{cdf, font};

/// A figure of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// File name under `plots/`, e.g. "trt_cdf.svg".
    pub file: &'static str,
    /// What it shows, one sentence, for the report's caption.
    pub caption: String,
    /// The SVG document, without the font.
    pub svg: String,
}

const SVG_NAMESPACE: &str = " xmlns=\"http://www.w3.org/2000/svg\"";

impl Plot {
    /// The SVG file: the figure with a `<style>` naming its font. The font itself
    /// is not embedded (it would add about 1 MB to every file): DejaVu Sans is named
    /// first, then Bitstream Vera Sans, whose Latin letters have the same widths,
    /// then common sans-serif faces. `report.html` shows the same figure in the
    /// bundled font itself.
    pub fn standalone(&self) -> String {
        let body_at = self.svg.find('>').map_or(0, |i| i + 1);
        let (open, rest) = self.svg.split_at(body_at);
        format!("{open}\n<style>\n{}</style>{rest}", font::named_css())
    }

    /// The figure as an inline `<svg>` element of an HTML page (which supplies the
    /// font and needs no namespace declaration).
    pub fn inline(&self) -> String {
        self.svg.replacen(SVG_NAMESPACE, "", 1)
    }
}

/// Every figure of a run, in report order. `target_s` is the TRT target; `series`
/// the stages' figures ([`crate::stages::stage_series`]).
pub fn of_run(result: &RunOutput, target_s: f64, series: &[StageSeries]) -> Result<Vec<Plot>, ReportError> {
    let by_region = cdf::by_region(&result.measures.trt);
    let by_class = cdf::by_class(&result.measures.trt);
    Ok(vec![
        trt_cdf::trt_cdf(&by_region, &by_class, target_s)?,
        stage_series::stage_utilisation(series)?,
        stage_series::stage_queue(series)?,
    ])
}

/// Line colours, in order of use (Tableau 10: distinct, and legible when printed).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xb0, 0x7a, 0xa1),
    RGBColor(0x9c, 0x75, 0x5f),
    RGBColor(0xed, 0xc9, 0x48),
];

/// The colour of the `i`-th line.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Text in the bundled font at `size_px` (plotters' size; the SVG's is 1/1.24 of it).
pub fn text_style(size_px: f64) -> TextStyle<'static> {
    FontDesc::new(FontFamily::Name(font::FAMILY), size_px, FontStyle::Normal).color(&BLACK)
}

/// Any plotters failure as a report error.
pub fn plot_err(e: impl std::fmt::Display) -> ReportError {
    ReportError::Plot(e.to_string())
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `x` (1 for `x ≤ 0`): a tidy axis end.
pub fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let decade = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * decade).find(|&v| v >= x * (1.0 - 1e-12)).unwrap_or(10.0 * decade)
}

/// A tick label: integers without decimals, others with up to three.
pub fn tick_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{:.0}", v.round())
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// How simulated time is shown on an axis: seconds, minutes or hours by span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeUnit {
    /// Name in the axis label, e.g. "min".
    pub name: &'static str,
    /// Seconds per unit.
    pub seconds: f64,
}

impl TimeUnit {
    /// The unit that keeps tick labels short for a run of `span_s` seconds.
    pub fn for_span(span_s: f64) -> TimeUnit {
        if span_s <= 20.0 * 60.0 {
            TimeUnit { name: "s", seconds: 1.0 }
        } else if span_s <= 48.0 * 3600.0 {
            TimeUnit { name: "min", seconds: 60.0 }
        } else {
            TimeUnit { name: "h", seconds: 3600.0 }
        }
    }
}

/// A legend entry: a line sample and its label.
#[derive(Debug, Clone)]
pub struct LegendEntry {
    /// What the line is.
    pub label: String,
    /// Its colour.
    pub colour: RGBColor,
    /// Whether the line is dashed (reference lines such as a target).
    pub dashed: bool,
}

const LEGEND_ROW_PX: i32 = 24;
const LEGEND_SAMPLE_PX: i32 = 28;
const LEGEND_GAP_PX: i32 = 24;

/// Places legend entries in rows across `width_px`; returns (row, x) per entry.
fn legend_layout(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    entries: &[LegendEntry],
    width_px: i32,
) -> Result<Vec<(i32, i32)>, ReportError> {
    let style = text_style(15.0);
    let (mut row, mut x) = (0, 0);
    let mut at = Vec::with_capacity(entries.len());
    for e in entries {
        let (w, _) = area.estimate_text_size(&e.label, &style).map_err(plot_err)?;
        let entry_px = LEGEND_SAMPLE_PX + 6 + w as i32;
        if x > 0 && x + entry_px > width_px {
            row += 1;
            x = 0;
        }
        at.push((row, x));
        x += entry_px + LEGEND_GAP_PX;
    }
    Ok(at)
}

/// Height a legend needs under a chart of `width_px`.
pub fn legend_height(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    entries: &[LegendEntry],
    width_px: i32,
) -> Result<u32, ReportError> {
    let rows = legend_layout(area, entries, width_px - 40)?.last().map_or(0, |&(row, _)| row + 1);
    Ok((rows * LEGEND_ROW_PX + 8) as u32)
}

/// Draws a legend, centred, in `area` (as tall as [`legend_height`] says).
pub fn draw_legend(area: &DrawingArea<SVGBackend<'_>, Shift>, entries: &[LegendEntry]) -> Result<(), ReportError> {
    let width_px = area.dim_in_pixel().0 as i32;
    let at = legend_layout(area, entries, width_px - 40)?;
    let style = text_style(15.0).pos(Pos::new(HPos::Left, VPos::Center));
    for row in 0..at.last().map_or(0, |&(r, _)| r + 1) {
        let in_row: Vec<usize> = (0..entries.len()).filter(|&i| at[i].0 == row).collect();
        let last = *in_row.last().expect("rows are not empty");
        let (last_w, _) = area.estimate_text_size(&entries[last].label, &style).map_err(plot_err)?;
        let row_width = at[last].1 + LEGEND_SAMPLE_PX + 6 + last_w as i32;
        let left = (width_px - row_width) / 2;
        let y = 4 + row * LEGEND_ROW_PX + LEGEND_ROW_PX / 2;
        for i in in_row {
            let e = &entries[i];
            let x = left + at[i].1;
            let line = [(x, y), (x + LEGEND_SAMPLE_PX, y)];
            if e.dashed {
                area.draw(&DashedPathElement::new(line, 6, 4, e.colour.stroke_width(2))).map_err(plot_err)?;
            } else {
                area.draw(&PathElement::new(line, e.colour.stroke_width(3))).map_err(plot_err)?;
            }
            area.draw(&Text::new(e.label.clone(), (x + LEGEND_SAMPLE_PX + 6, y), style.clone())).map_err(plot_err)?;
        }
    }
    Ok(())
}

/// Thousands separated by commas: 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The chart type every figure draws on: an SVG, linear axes in both directions.
pub(crate) type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Draws the grid, ticks and axis titles in the house style shared by all figures.
pub(crate) fn draw_mesh(chart: &mut Chart<'_, '_>, x_desc: &str, y_desc: &str) -> Result<(), ReportError> {
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|v| tick_label(v))
        .y_label_formatter(&|v| tick_label(v))
        .label_style(text_style(14.0))
        .axis_desc_style(text_style(15.0))
        .light_line_style(RGBColor(240, 240, 240))
        .bold_line_style(RGBColor(215, 215, 215))
        .max_light_lines(2)
        .draw()
        .map_err(plot_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_ends_are_tidy_and_never_below_the_data() {
        let cases =
            [(0.0, 1.0), (0.7, 1.0), (1.0, 1.0), (1.3, 2.0), (2.2, 2.5), (3.0, 5.0), (37.5, 50.0), (120.0, 200.0)];
        for (x, want) in cases {
            assert!((nice_ceiling(x) - want).abs() < 1e-9, "{x} → {} not {want}", nice_ceiling(x));
        }
    }

    #[test]
    fn labels_and_units_read_naturally() {
        assert_eq!(tick_label(&30.0), "30");
        assert_eq!(tick_label(&0.25), "0.25");
        assert_eq!(TimeUnit::for_span(120.0).name, "s");
        assert_eq!(TimeUnit::for_span(7200.0).name, "min");
        assert_eq!(TimeUnit::for_span(7.0 * 86_400.0).name, "h");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_run_without_requests_still_draws_every_figure() {
        let idle = StageSeries { stage: "dsp".into(), servers: 4, buckets: Vec::new() };
        let figures = [
            trt_cdf::trt_cdf(&[], &[], 30.0).unwrap(),
            stage_series::stage_utilisation(std::slice::from_ref(&idle)).unwrap(),
            stage_series::stage_queue(&[idle]).unwrap(),
        ];
        for f in figures {
            assert!(f.svg.starts_with("<svg ") && f.svg.ends_with("</svg>\n"), "{}", f.file);
        }
    }

    #[test]
    fn the_standalone_file_names_the_font_and_the_inline_one_has_no_namespace() {
        let plot =
            Plot { file: "x.svg", caption: String::new(), svg: format!("<svg{SVG_NAMESPACE}>\n<text/>\n</svg>\n") };
        let file = plot.standalone();
        assert!(file.starts_with(&format!("<svg{SVG_NAMESPACE}>\n<style>\ntext {{ font-family: \"DejaVu Sans\"")));
        assert!(!file.contains("@font-face"), "the font is named, not embedded");
        assert!(file.ends_with("</style>\n<text/>\n</svg>\n"));
        assert_eq!(plot.inline(), "<svg>\n<text/>\n</svg>\n");
    }
}
