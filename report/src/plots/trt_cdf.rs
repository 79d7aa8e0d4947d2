//! `trt_cdf.svg`: the share of submitted requests answered within a time, per CSP
//! region (left) and per SR class (right), with the Target Response Time marked.

use plotters::prelude::*;

use super::{LegendEntry, Plot, colour, draw_legend, legend_height, nice_ceiling, plot_err, text_style, thousands};
use crate::ReportError;
use crate::cdf::{CdfPoint, TrtCurve};

const WIDTH_PX: u32 = 1100;
const HEIGHT_PX: u32 = 520;

/// The x-axis end: the target with room on its right, or the slowest group's 99.9th
/// percentile if later. The rarest 0.1 % of the slowest group may run off the right.
fn x_max_s(target_s: f64, curves: &[&TrtCurve]) -> f64 {
    let tail_s = curves.iter().map(|c| c.p999_s).fold(0.0, f64::max);
    nice_ceiling((1.25 * target_s).max(tail_s))
}

/// The curve's points as (TRT s, % of submitted) up to `x_max_s`, the last one
/// interpolated on the axis end if the curve runs past it.
fn visible(curve: &TrtCurve, x_max_s: f64) -> Vec<(f64, f64)> {
    let scale = 100.0 * curve.answered_share();
    let as_xy = |p: &CdfPoint| (p.value_s, scale * p.probability);
    let mut out = Vec::with_capacity(curve.points.len());
    for pair in curve.points.windows(2) {
        let (a, b) = (as_xy(&pair[0]), as_xy(&pair[1]));
        if out.is_empty() {
            out.push(a);
        }
        if b.0 <= x_max_s {
            out.push(b);
        } else {
            let t = if b.0 > a.0 { (x_max_s - a.0) / (b.0 - a.0) } else { 0.0 };
            out.push((x_max_s, a.1 + t * (b.1 - a.1)));
            break;
        }
    }
    out
}

fn legend(curves: &[&TrtCurve], target_s: f64) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> = curves
        .iter()
        .enumerate()
        .map(|(i, c)| LegendEntry {
            label: format!("{} (n = {})", c.label, thousands(c.submitted)),
            colour: colour(i),
            dashed: false,
        })
        .collect();
    entries.push(LegendEntry { label: format!("target {target_s} s"), colour: BLACK, dashed: true });
    entries
}

/// One panel: its curves, the target, and `legend` in a strip `legend_px` tall (the
/// same in both panels, so their axes line up).
fn panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    subtitle: &str,
    curves: &[&TrtCurve],
    (legend, legend_px): (&[LegendEntry], u32),
    target_s: f64,
    x_max_s: f64,
) -> Result<(), ReportError> {
    let (_, h) = area.dim_in_pixel();
    let (chart_area, legend_area) = area.split_vertically(h - legend_px);
    let mut chart = ChartBuilder::on(&chart_area)
        .caption(subtitle, text_style(18.0))
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..x_max_s, 0.0..100.0)
        .map_err(plot_err)?;
    super::draw_mesh(&mut chart, "TRT (s)", "answered within TRT (% of submitted)")?;
    for (i, c) in curves.iter().enumerate() {
        chart.draw_series(LineSeries::new(visible(c, x_max_s), colour(i).stroke_width(2))).map_err(plot_err)?;
    }
    chart
        .draw_series(DashedLineSeries::new([(target_s, 0.0), (target_s, 100.0)], 6, 4, BLACK.stroke_width(2)))
        .map_err(plot_err)?;
    draw_legend(&legend_area, legend)
}

/// The TRT figure of a run.
pub fn trt_cdf(by_region: &[TrtCurve], by_class: &[TrtCurve], target_s: f64) -> Result<Plot, ReportError> {
    crate::font::register_for_plots()?;
    let region: Vec<&TrtCurve> = by_region.iter().filter(|c| c.submitted > 0).collect();
    let class: Vec<&TrtCurve> = by_class.iter().filter(|c| c.submitted > 0).collect();
    let x_max = x_max_s(target_s, &region.iter().chain(&class).copied().collect::<Vec<_>>());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, HEIGHT_PX)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let body = root
            .titled("Target Response Time: share of requests answered within a time", text_style(22.0))
            .map_err(plot_err)?;
        let (left, right) = body.split_horizontally(WIDTH_PX / 2);
        let (region_legend, class_legend) = (legend(&region, target_s), legend(&class, target_s));
        let half_px = (WIDTH_PX / 2) as i32;
        let legend_px =
            legend_height(&left, &region_legend, half_px)?.max(legend_height(&right, &class_legend, half_px)?);
        panel(&left, "by CSP region", &region, (&region_legend, legend_px), target_s, x_max)?;
        panel(&right, "by SR class (SRV, mode, critical)", &class, (&class_legend, legend_px), target_s, x_max)?;
        root.present().map_err(plot_err)?;
    }
    Ok(Plot {
        file: "trt_cdf.svg",
        caption: format!(
            "Share of submitted Service Requests answered within a time t, against t: per CSP region \
             (left) and per SR class (right). The dashed line is the {target_s} s target: where a curve \
             crosses it is the share answered within target. A curve that ends below 100 % has requests \
             unanswered at the end of the run. Curves that coincide (regions with the same WAN, say) \
             are drawn one over the other. Curves are drawn through {} quantiles; the axis ends at \
             {} s.",
            crate::cdf::CDF_POINTS,
            super::tick_label(&x_max)
        ),
        svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(submitted: u64, values: &[f64]) -> TrtCurve {
        let n = values.len();
        let mut points = vec![crate::cdf::CdfPoint { value_s: values[0], probability: 0.0 }];
        for (i, &value_s) in values.iter().enumerate() {
            points.push(crate::cdf::CdfPoint { value_s, probability: (i + 1) as f64 / n as f64 });
        }
        TrtCurve { label: "x".into(), submitted, responded: n as u64, points, p999_s: *values.last().unwrap_or(&0.0) }
    }

    #[test]
    fn unanswered_requests_keep_the_curve_below_100_percent() {
        let c = curve(4, &[1.0, 2.0, 3.0]);
        let points = visible(&c, 100.0);
        assert_eq!(points.last(), Some(&(3.0, 75.0)));
    }

    #[test]
    fn a_curve_past_the_axis_end_is_cut_on_it() {
        let c = curve(2, &[10.0, 30.0]);
        // Points (10, 0), (10, 50), (30, 100): at 20 s the line is at 75 %.
        assert_eq!(visible(&c, 20.0), vec![(10.0, 0.0), (10.0, 50.0), (20.0, 75.0)]);
        assert_eq!(x_max_s(30.0, &[&c]), 50.0, "room right of the 30 s target, then a tidy end");
    }
}
