//! The figures of a sweep: each measure against the swept parameter, the mean of
//! each point with its 95% confidence interval as an error bar.

use plotters::element::PathElement;
use plotters::prelude::*;

use super::{Plot, colour, nice_ceiling, plot_err, text_style};
use crate::ReportError;

const WIDTH_PX: u32 = 900;
const HEIGHT_PX: u32 = 420;

/// One point of a figure: where it sits on the x axis, its mean, and its interval
/// (none with one replication).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The swept value (or the point's index when it is not one number).
    pub x: f64,
    /// The mean over the point's finished replications.
    pub mean: f64,
    /// The 95% interval's ends.
    pub interval: Option<(f64, f64)>,
}

/// The figure of measure `name`, written as `file`, against `x_desc`.
pub fn figure(
    name: &str,
    file: &'static str,
    title: &str,
    x_desc: &str,
    points: &[Point],
) -> Result<Plot, ReportError> {
    crate::font::register_for_plots()?;
    let xs = || points.iter().map(|p| p.x);
    let (x_min, x_max) = (xs().fold(f64::INFINITY, f64::min), xs().fold(f64::NEG_INFINITY, f64::max));
    let (x0, x1) = if x_min.is_finite() && x_max > x_min {
        let pad = 0.05 * (x_max - x_min);
        (x_min - pad, x_max + pad)
    } else if x_min.is_finite() {
        (x_min - 1.0, x_min + 1.0)
    } else {
        (0.0, 1.0)
    };
    let highs = points.iter().map(|p| p.interval.map_or(p.mean, |(_, hi)| hi));
    let lows = points.iter().map(|p| p.interval.map_or(p.mean, |(lo, _)| lo));
    let top = highs.filter(|v| v.is_finite()).fold(0.0, f64::max);
    let bottom = lows.filter(|v| v.is_finite()).fold(0.0, f64::min);
    let y_max = nice_ceiling(1.05 * top);
    let y_min = if bottom < 0.0 { -nice_ceiling(-1.05 * bottom) } else { 0.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, HEIGHT_PX)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let body = root.titled(title, text_style(20.0)).map_err(plot_err)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, y_min..y_max)
            .map_err(plot_err)?;
        super::draw_mesh(&mut chart, x_desc, name)?;
        let line = colour(0);
        let means: Vec<(f64, f64)> = points.iter().filter(|p| p.mean.is_finite()).map(|p| (p.x, p.mean)).collect();
        chart.draw_series(LineSeries::new(means.clone(), line.stroke_width(2))).map_err(plot_err)?;
        chart.draw_series(means.iter().map(|&(x, y)| Circle::new((x, y), 4, line.filled()))).map_err(plot_err)?;
        let cap = 0.01 * (x1 - x0);
        for p in points {
            if let Some((lo, hi)) = p.interval.filter(|(lo, hi)| lo.is_finite() && hi.is_finite()) {
                let bar = [
                    vec![(p.x, lo), (p.x, hi)],
                    vec![(p.x - cap, lo), (p.x + cap, lo)],
                    vec![(p.x - cap, hi), (p.x + cap, hi)],
                ];
                chart
                    .draw_series(bar.into_iter().map(|segment| PathElement::new(segment, line.stroke_width(1))))
                    .map_err(plot_err)?;
            }
        }
        root.present().map_err(plot_err)?;
    }
    Ok(Plot {
        file,
        caption: format!(
            "{name} against {x_desc}: the mean of each point's replications, with its 95% confidence interval \
             (no bar with one replication)."
        ),
        svg,
    })
}
