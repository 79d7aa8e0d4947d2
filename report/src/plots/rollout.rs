//! The figures of a rollout run: monthly lines over the years.
//!
//! | file | what |
//! |---|---|
//! | `coverage.svg` | premises with a smart meter, %, GB and per CSP region, with the targets |
//! | `hub_supply.svg` | hubs forecast, delivered and used per month, and the stock held |
//! | `installs.svg` | installs, installs without WAN, installs lost for want of hubs, 4G hub swaps |

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::{LegendEntry, Plot, colour, draw_legend, legend_height, nice_ceiling, plot_err, text_style};
use crate::ReportError;
use models::region::CspRegion;
use models::rollout::{CellMonth, RolloutResult};
use models::scenario::rollout::Target;

const WIDTH_PX: u32 = 1100;
const HEIGHT_PX: u32 = 500;

/// One line of a figure.
struct Line {
    label: String,
    values: Vec<f64>,
    dashed: bool,
}

/// Years as decimals, mid-month: 2027-03 → 2027.21.
fn x_years(r: &RolloutResult) -> Vec<f64> {
    r.months.iter().map(|m| f64::from(m.year()) + (f64::from(m.month()) - 0.5) / 12.0).collect()
}

fn draw(
    r: &RolloutResult,
    title: &str,
    y_desc: &str,
    lines: &[Line],
    y_cap: Option<f64>,
) -> Result<String, ReportError> {
    crate::font::register_for_plots()?;
    let x = x_years(r);
    let (x0, x1) = match (x.first(), x.last()) {
        (Some(&a), Some(&b)) => (a.floor(), b.ceil().max(a.floor() + 1.0)),
        _ => (0.0, 1.0),
    };
    let top = lines.iter().flat_map(|l| l.values.iter().copied()).fold(0.0, f64::max);
    let mut y_max = nice_ceiling(1.05 * top);
    if let Some(cap) = y_cap {
        y_max = y_max.min(cap);
    }
    let legend: Vec<LegendEntry> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| LegendEntry { label: l.label.clone(), colour: colour(i), dashed: l.dashed })
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, HEIGHT_PX)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let body = root.titled(title, text_style(22.0)).map_err(plot_err)?;
        let (_, h) = body.dim_in_pixel();
        let (chart_area, legend_area) = body.split_vertically(h - legend_height(&body, &legend, WIDTH_PX as i32)?);
        let mut chart = ChartBuilder::on(&chart_area)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(48)
            .y_label_area_size(90)
            .build_cartesian_2d(x0..x1, 0.0..y_max)
            .map_err(plot_err)?;
        super::draw_mesh(&mut chart, "year", y_desc)?;
        for (i, l) in lines.iter().enumerate() {
            let points: Vec<(f64, f64)> = x.iter().copied().zip(l.values.iter().copied()).collect();
            if l.dashed {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(points, 6, 4, colour(i).stroke_width(2))))
                    .map_err(plot_err)?;
            } else {
                chart.draw_series(LineSeries::new(points, colour(i).stroke_width(2))).map_err(plot_err)?;
            }
        }
        draw_legend(&legend_area, &legend)?;
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

fn national(r: &RolloutResult, f: fn(&CellMonth) -> u64) -> Vec<f64> {
    r.national.iter().map(|n| f(n) as f64).collect()
}

/// Coverage over time, GB and per CSP region, with each target as a dashed level.
pub fn coverage(r: &RolloutResult, targets: &[Target]) -> Result<Plot, ReportError> {
    // Regions first, so that the GB line is drawn over them.
    let mut lines = Vec::new();
    for region in CspRegion::ALL {
        let values = (0..r.months.len())
            .map(|i| {
                let (mut smart, mut premises) = (0u64, 0u64);
                for (cell, rows) in r.cells.iter().zip(&r.rows) {
                    if cell.region == region {
                        smart += rows[i].smart_premises();
                        premises += rows[i].premises;
                    }
                }
                100.0 * smart as f64 / premises.max(1) as f64
            })
            .collect();
        lines.push(Line { label: format!("CSP {region}"), values, dashed: false });
    }
    let gb = (0..r.months.len()).map(|i| r.coverage_pct(i)).collect();
    lines.push(Line { label: "GB".into(), values: gb, dashed: false });
    for t in targets.iter().filter(|t| t.by.is_some()) {
        lines.push(Line { label: t.name.clone(), values: vec![t.coverage_pct.get(); r.months.len()], dashed: true });
    }
    Ok(Plot {
        file: "coverage.svg",
        caption: "Share of premises with a smart meter (SMETS1 or SMETS2, in any SMI status) at the end of each \
                  month, for GB and each CSP region; dashed levels are the targets with a due month."
            .into(),
        svg: draw(r, "Smart meter coverage", "premises with a smart meter (%)", &lines, Some(100.0))?,
    })
}

/// Hubs forecast, delivered and used per month, and the stock at month end.
pub fn hub_supply(r: &RolloutResult) -> Result<Plot, ReportError> {
    let k = 1e-3;
    let scaled = |f: fn(&CellMonth) -> u64| national(r, f).into_iter().map(|v| v * k).collect::<Vec<_>>();
    let lines = [
        Line { label: "forecast (submitted 10 months before)".into(), values: scaled(|n| n.ch_forecast), dashed: true },
        Line { label: "delivered".into(), values: scaled(|n| n.ch_delivered), dashed: false },
        Line { label: "used".into(), values: scaled(|n| n.ch_used), dashed: false },
        Line { label: "stock at month end".into(), values: scaled(|n| n.ch_stock), dashed: false },
    ];
    Ok(Plot {
        file: "hub_supply.svg",
        caption: "Communications Hubs for all parties per delivery month under SEC F5: the forecast each party \
                  submitted 10 months before, what DCC delivered, what installers used, and the stock left."
            .into(),
        svg: draw(r, "Communications Hub supply", "thousand hubs", &lines, None)?,
    })
}

/// Installs and hub swaps per month.
pub fn installs(r: &RolloutResult) -> Result<Plot, ReportError> {
    let k = 1e-3;
    let scaled = |f: fn(&CellMonth) -> u64| national(r, f).into_iter().map(|v| v * k).collect::<Vec<_>>();
    let lines = [
        Line { label: "installed".into(), values: scaled(|n| n.installs_succeeded), dashed: false },
        Line { label: "installed without WAN".into(), values: scaled(|n| n.no_wan_installs), dashed: false },
        Line { label: "lost: no hub in stock".into(), values: scaled(|n| n.installs_lost_no_stock), dashed: false },
        Line { label: "4G hub swaps".into(), values: scaled(|n| n.hub_swaps), dashed: false },
        Line { label: "SMETS1 migrated".into(), values: scaled(|n| n.smets1_migrated), dashed: false },
    ];
    Ok(Plot {
        file: "installs.svg",
        caption: "Premises visited with success per month, those left without WAN at install, visits lost for \
                  want of a hub, 2G/3G hubs replaced by 4G, and SMETS1 meters migrated to the DCC network."
            .into(),
        svg: draw(r, "Installs per month", "thousand premises", &lines, None)?,
    })
}
