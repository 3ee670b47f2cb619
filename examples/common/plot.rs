//! Panels drawn by several examples: 2-D points with the basis vectors
//! and the cone they span, and a loss curve on a log scale.

use nmf_core::nalgebra::DMatrix;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;

/// The font family every example draws its text with.
pub const FONT: &str = "sans-serif";

/// DejaVu Sans, shipped with the examples (licence in `font/LICENSE`), so
/// that drawing needs no font installed on the machine.
static DEJAVU_SANS: &[u8] = include_bytes!("font/DejaVuSans.ttf");

/// Registers the bundled font; call it before drawing any text.
pub fn register_font() -> Result<(), String> {
    plotters::style::register_font(FONT, FontStyle::Normal, DEJAVU_SANS)
        .map_err(|_| "the bundled font is not a valid TrueType font".to_string())
}

/// Turns any drawing error into a message.
pub fn fail<E: std::fmt::Display>(e: E) -> String {
    format!("drawing failed: {e}")
}

/// The colours of basis vectors h₁, h₂, … and of their cone.
pub const BASIS: [RGBColor; 3] = [
    RGBColor(214, 39, 40),
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
];
pub const CONE: RGBAColor = RGBAColor(255, 160, 0, 0.18);

/// A perceptually even blue–green–yellow scale (viridis), for t in [0, 1].
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let s = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (s.floor() as usize).min(STOPS.len() - 2);
    let f = s - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Colours the points of Y by their first coordinate. A reconstruction is
/// drawn in the colour of its data point, so that the two can be matched.
pub fn colour_by_x(y: &DMatrix<f64>) -> Vec<RGBColor> {
    let xs = y.column(0);
    let (lo, hi) = (xs.min(), xs.max());
    xs.iter()
        .map(|x| viridis(if hi > lo { (x - lo) / (hi - lo) } else { 0.5 }))
        .collect()
}

/// What a 2-D panel shows.
pub struct Scene<'a> {
    /// The panel's title.
    pub title: &'a str,
    /// The data, one point per row, drawn as filled dots...
    pub points: &'a DMatrix<f64>,
    /// ...in these colours.
    pub colours: &'a [RGBColor],
    /// Optionally the data again, drawn faintly, each joined to its point
    /// above (for a reconstruction, to show how far each point moved).
    pub ghosts: Option<&'a DMatrix<f64>>,
    /// Optionally the basis H: its rows drawn as arrows from the origin,
    /// with the cone they span shaded.
    pub basis: Option<&'a DMatrix<f64>>,
    /// The axis ranges, both starting at 0.
    pub x_max: f64,
    /// See `x_max`.
    pub y_max: f64,
}

/// Where a ray from the origin at `angle` leaves the box [0, x_max] × [0, y_max].
fn exit_point(angle: f64, x_max: f64, y_max: f64) -> (f64, f64) {
    let (c, s) = (angle.cos(), angle.sin());
    let t = if c <= 0.0 {
        y_max / s
    } else if s <= 0.0 {
        x_max / c
    } else {
        (x_max / c).min(y_max / s)
    };
    (t * c, t * s)
}

/// The cone spanned by two vectors of the first quadrant, cut to the box.
pub fn cone_polygon(h1: (f64, f64), h2: (f64, f64), x_max: f64, y_max: f64) -> Vec<(f64, f64)> {
    let (mut a1, mut a2) = (h1.1.atan2(h1.0), h2.1.atan2(h2.0));
    if a1 > a2 {
        std::mem::swap(&mut a1, &mut a2);
    }
    let corner = y_max.atan2(x_max);
    let mut poly = vec![(0.0, 0.0), exit_point(a1, x_max, y_max)];
    if a1 < corner && corner < a2 {
        poly.push((x_max, y_max));
    }
    poly.push(exit_point(a2, x_max, y_max));
    poly
}

/// Draws one 2-D panel.
pub fn draw_scene<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
) -> Result<(), String> {
    let mut chart = ChartBuilder::on(area)
        .caption(scene.title, (FONT, 22))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0.0..scene.x_max, 0.0..scene.y_max)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .label_style((FONT, 14))
        .draw()
        .map_err(fail)?;

    if let Some(h) = scene.basis.filter(|h| h.nrows() >= 2) {
        let cone = cone_polygon(
            (h[(0, 0)], h[(0, 1)]),
            (h[(1, 0)], h[(1, 1)]),
            scene.x_max,
            scene.y_max,
        );
        chart
            .draw_series(std::iter::once(Polygon::new(cone, CONE.filled())))
            .map_err(fail)?;
    }
    if let Some(ghosts) = scene.ghosts {
        let grey = RGBColor(150, 150, 150);
        let links = ghosts
            .row_iter()
            .zip(scene.points.row_iter())
            .map(|(g, p)| {
                PathElement::new(
                    vec![(g[0], g[1]), (p[0], p[1])],
                    grey.mix(0.5).stroke_width(1),
                )
            });
        chart.draw_series(links).map_err(fail)?;
        let rings = ghosts
            .row_iter()
            .map(|g| Circle::new((g[0], g[1]), 3, grey.stroke_width(1)));
        chart.draw_series(rings).map_err(fail)?;
    }
    let dots = scene
        .points
        .row_iter()
        .zip(scene.colours)
        .map(|(p, c)| Circle::new((p[0], p[1]), 4, c.filled()));
    chart.draw_series(dots).map_err(fail)?;

    if let Some(h) = scene.basis {
        let (pw, ph) = chart.plotting_area().dim_in_pixel();
        let scale = (f64::from(pw) / scene.x_max, f64::from(ph) / scene.y_max);
        for (k, row) in h.row_iter().enumerate() {
            let colour = BASIS[k % BASIS.len()];
            let tip = (row[0], row[1]);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, 0.0), tip],
                    colour.stroke_width(3),
                )))
                .map_err(fail)?;
            chart
                .draw_series(std::iter::once(Polygon::new(
                    arrow_head(tip, scale),
                    colour.filled(),
                )))
                .map_err(fail)?;
            let label = format!("h{}", ['₁', '₂', '₃'][k % 3]);
            // The label sits just past the tip, offset in pixels.
            let style = (FONT, 20).into_font().color(&colour);
            let labelled = EmptyElement::at(tip) + Text::new(label, (8, -22), style);
            chart.draw_series(std::iter::once(labelled)).map_err(fail)?;
        }
    }
    Ok(())
}

/// A triangle at `tip`, pointing away from the origin, of equal size in
/// pixels whatever the axes' scales (`scale`: pixels per unit on x and y).
fn arrow_head(tip: (f64, f64), scale: (f64, f64)) -> Vec<(f64, f64)> {
    let (px, py) = (tip.0 * scale.0, tip.1 * scale.1);
    let len = px.hypot(py).max(1e-9);
    let (dx, dy) = (px / len, py / len);
    let (length, half_width) = (14.0, 6.0);
    let back = (px - dx * length, py - dy * length);
    let side = |s: f64| {
        (
            (back.0 - dy * half_width * s) / scale.0,
            (back.1 + dx * half_width * s) / scale.1,
        )
    };
    vec![tip, side(1.0), side(-1.0)]
}

/// One curve of a loss panel.
pub struct Curve<'a> {
    /// Its legend.
    pub label: &'a str,
    /// The loss after 0, 1, 2, … iterations.
    pub losses: &'a [f64],
    /// Its colour.
    pub colour: RGBColor,
}

/// Draws losses against iterations on a log scale, with axes fixed by
/// `t_max` and `(lo, hi)` so that frames of an animation line up.
pub fn draw_losses<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    curves: &[Curve],
    t_max: usize,
    (lo, hi): (f64, f64),
) -> Result<(), String> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 22))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(0..t_max, (lo..hi).log_scale())
        .map_err(fail)?;
    draw_axes(&mut chart, "iteration t", "loss D")?;
    for curve in curves {
        let colour = curve.colour;
        chart
            .draw_series(LineSeries::new(
                curve.losses.iter().copied().enumerate(),
                colour.stroke_width(2),
            ))
            .map_err(fail)?
            .label(curve.label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
        if let Some(&d) = curve.losses.last() {
            let t = curve.losses.len() - 1;
            chart
                .draw_series(std::iter::once(Circle::new((t, d), 4, colour.filled())))
                .map_err(fail)?;
        }
    }
    draw_legend(&mut chart)
}

/// A figure of losses only: one curve per (label, losses), in the basis
/// colours, on a log axis that holds them all, over `t_max` iterations.
pub fn draw_loss_figure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    runs: &[(&str, Vec<f64>)],
    t_max: usize,
) -> Result<(), String> {
    let curves: Vec<Curve> = runs
        .iter()
        .zip(BASIS.iter().cycle())
        .map(|((label, losses), &colour)| Curve {
            label,
            losses,
            colour,
        })
        .collect();
    let range = log_range(runs.iter().map(|(_, l)| l.as_slice()));
    draw_losses(area, title, &curves, t_max, range)
}

/// The range of a log axis that holds every positive value of `curves`,
/// from one power of ten to another, so that the axis has labelled ticks.
pub fn log_range<'a>(curves: impl IntoIterator<Item = &'a [f64]>) -> (f64, f64) {
    let positive = curves.into_iter().flatten().copied().filter(|d| *d > 0.0);
    let (lo, hi) = positive.fold((f64::INFINITY, 0.0f64), |(lo, hi), d| {
        (lo.min(d), hi.max(d))
    });
    let decade = |x: f64, round: fn(f64) -> f64| 10f64.powf(round(x.log10()));
    (decade(lo, f64::floor), decade(hi, f64::ceil))
}

/// The legend of a chart's labelled series, in its upper right corner.
pub fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(fail)
}

/// The axes of a chart, with their labels and the major grid only.
pub fn draw_axes<'a, DB, X, Y, XT, YT>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    x_desc: &str,
    y_desc: &str,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()
        .map_err(fail)
}
