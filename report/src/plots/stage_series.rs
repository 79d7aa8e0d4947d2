//! `stage_utilisation.svg` and `stage_queue.svg`: a figure of each stage over time,
//! one line per stage, drawn as steps (a bucket's mean holds across the bucket).

use plotters::prelude::*;

use super::{LegendEntry, Plot, TimeUnit, colour, draw_legend, legend_height, nice_ceiling, plot_err, text_style};
use crate::ReportError;
use crate::stages::{Bucket, StageSeries};

const WIDTH_PX: u32 = 1100;
const HEIGHT_PX: u32 = 500;

/// Most steps drawn per stage: longer runs are shown in merged buckets, so the file
/// stays small whatever the run's length.
pub const MAX_STEPS: usize = 500;

/// One value of a stage per bucket.
type Measure = fn(&StageSeries, &Bucket) -> f64;

/// Time-weighted means of `measure` over groups of adjacent buckets, at most
/// `max_steps` groups: (start s, width s, mean).
pub fn coarsen(s: &StageSeries, measure: Measure, max_steps: usize) -> Vec<(f64, f64, f64)> {
    let per_step = s.buckets.len().div_ceil(max_steps.max(1)).max(1);
    s.buckets
        .chunks(per_step)
        .map(|group| {
            let width_s: f64 = group.iter().map(|b| b.width_s).sum();
            let weighted: f64 = group.iter().map(|b| measure(s, b) * b.width_s).sum();
            (group[0].start_s, width_s, if width_s > 0.0 { weighted / width_s } else { 0.0 })
        })
        .collect()
}

/// What one figure plots.
struct Figure<'a> {
    title: &'a str,
    y_desc: &'a str,
    measure: Measure,
    /// The y-axis end is at least this (and at most `y_cap`, if set).
    y_min_end: f64,
    y_cap: Option<f64>,
}

fn draw(series: &[StageSeries], f: &Figure<'_>) -> Result<String, ReportError> {
    crate::font::register_for_plots()?;
    let end_s = series.iter().flat_map(|s| s.buckets.last()).map(|b| b.start_s + b.width_s).fold(0.0, f64::max);
    let unit = TimeUnit::for_span(end_s);
    let steps: Vec<Vec<(f64, f64, f64)>> = series.iter().map(|s| coarsen(s, f.measure, MAX_STEPS)).collect();
    let top = steps.iter().flatten().map(|&(_, _, v)| v).fold(0.0, f64::max);
    let mut y_max = nice_ceiling((1.1 * top).max(f.y_min_end));
    if let Some(cap) = f.y_cap {
        y_max = y_max.min(cap);
    }
    // A run that ended at once still gets an axis to draw on.
    let x_max = (end_s / unit.seconds).max(1.0);
    let legend: Vec<LegendEntry> = series
        .iter()
        .enumerate()
        .map(|(i, s)| LegendEntry { label: s.stage.clone(), colour: colour(i), dashed: false })
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, HEIGHT_PX)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let body = root.titled(f.title, text_style(22.0)).map_err(plot_err)?;
        let (_, h) = body.dim_in_pixel();
        let (chart_area, legend_area) = body.split_vertically(h - legend_height(&body, &legend, WIDTH_PX as i32)?);
        let mut chart = ChartBuilder::on(&chart_area)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)
            .map_err(plot_err)?;
        super::draw_mesh(&mut chart, &format!("simulated time ({})", unit.name), f.y_desc)?;
        for (i, s) in steps.iter().enumerate() {
            let points = s
                .iter()
                .flat_map(|&(start, width, v)| [(start / unit.seconds, v), ((start + width) / unit.seconds, v)]);
            chart.draw_series(LineSeries::new(points, colour(i).stroke_width(2))).map_err(plot_err)?;
        }
        draw_legend(&legend_area, &legend)?;
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

/// Utilisation of each stage over time.
pub fn stage_utilisation(series: &[StageSeries]) -> Result<Plot, ReportError> {
    let figure = Figure {
        title: "Stage utilisation over time",
        y_desc: "utilisation (% of servers busy)",
        measure: |s, b| 100.0 * s.utilisation(b),
        y_min_end: 1.0,
        y_cap: Some(100.0),
    };
    Ok(Plot {
        file: "stage_utilisation.svg",
        caption: "Share of each stage's servers (channels, for WAN cells) busy, averaged over each time \
                  bucket. A stage near 100 % is saturated: its queue, below, grows."
            .into(),
        svg: draw(series, &figure)?,
    })
}

/// Mean requests waiting at each stage over time.
pub fn stage_queue(series: &[StageSeries]) -> Result<Plot, ReportError> {
    let figure = Figure {
        title: "Requests queued at each stage over time",
        y_desc: "mean requests waiting for a server",
        measure: |_, b| b.mean_queued,
        // Small enough that a queue of a tenth of a request still shows.
        y_min_end: 0.1,
        y_cap: None,
    };
    Ok(Plot {
        file: "stage_queue.svg",
        caption: "Time-averaged number of requests waiting for a free server at each stage, per time \
                  bucket (requests in service are not counted). Waiting here is what adds to the TRT \
                  beyond service and transit times."
            .into(),
        svg: draw(series, &figure)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(start_s: f64, width_s: f64, mean_busy: f64) -> Bucket {
        Bucket { start_s, width_s, completions: 0, mean_in_system: mean_busy, mean_queued: 0.0, mean_busy }
    }

    #[test]
    fn merged_buckets_keep_the_time_weighted_mean() {
        let s = StageSeries {
            stage: "x".into(),
            servers: 2,
            buckets: vec![bucket(0.0, 60.0, 2.0), bucket(60.0, 60.0, 0.0), bucket(120.0, 30.0, 1.0)],
        };
        let busy: Measure = |_, b| b.mean_busy;
        assert_eq!(coarsen(&s, busy, 2), vec![(0.0, 120.0, 1.0), (120.0, 30.0, 1.0)]);
        assert_eq!(coarsen(&s, busy, 10).len(), 3, "short series are drawn bucket by bucket");
        let one = coarsen(&s, |s, b| s.utilisation(b), 1);
        assert_eq!(one, vec![(0.0, 150.0, (2.0 * 60.0 + 1.0 * 30.0) / 150.0 / 2.0)]);
    }
}
