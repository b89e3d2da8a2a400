//! Trend charts: shares per year with the counts behind them, as SVG or PNG (`--plot FILE`).
//!
//! A [`Chart`] is a few [`Series`] of per-year fractions (`numerator / denominator`, e.g.
//! reports admitting a theme / reports of the year). It is drawn with `plotters`: one line per
//! series with a marker per year, the share on the y axis in percent, and the counts behind
//! the shares written on the chart (`k/n` at each point of a single series; `n=` reports per
//! year along the x axis when there are several). Labels are Chinese as well as English.
//!
//! Text needs a font that has Chinese characters. gongkai looks for one the system has
//! (`GONGKAI_FONT`, else common locations of WenQuanYi, Noto CJK, Droid, macOS and Windows
//! fonts; on Debian/Ubuntu `apt install fonts-wqy-microhei`). SVG files keep their labels as
//! text, which the viewer renders with its own fonts, so for SVG any font serves to measure
//! them; PNG needs the CJK font itself.
//!
//! What it does not do: no statistics (it draws the shares it is given), no interactive output.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

/// One year's fraction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YearPoint {
    /// The year.
    pub year: u16,
    /// What is counted (reports admitting a theme, boilerplate characters …).
    pub numerator: u64,
    /// Out of how many (reports of the year, narrative characters …).
    pub denominator: u64,
}

impl YearPoint {
    /// numerator / denominator (0 when the denominator is).
    pub fn share(&self) -> f64 {
        if self.denominator == 0 {
            0.0
        } else {
            self.numerator as f64 / self.denominator as f64
        }
    }
}

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Points, one per year (any order).
    pub points: Vec<YearPoint>,
}

/// A chart of shares per year.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Caption.
    pub title: String,
    /// Y axis description.
    pub y_label: String,
    /// What each year's `n=` counts (below the x axis): `reports`, `chars` ….
    pub unit: String,
    /// The lines.
    pub series: Vec<Series>,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The file name does not end in .svg or .png.
    #[error("{0}: a chart file name ends in .svg or .png")]
    Format(PathBuf),
    /// No usable font was found.
    #[error(
        "{0}: no font with Chinese characters found: install one (Debian/Ubuntu: apt install fonts-wqy-microhei) or set GONGKAI_FONT=/path/to/font.ttf"
    )]
    NoFont(PathBuf),
    /// Nothing to draw.
    #[error("{0}: no year to draw (no report with a known year)")]
    Empty(PathBuf),
    /// Drawing or writing failed.
    #[error("{path}: cannot draw the chart: {message}")]
    Draw {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Places a CJK font is commonly installed, most suitable first.
const CJK_FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simhei.ttf",
];

/// Latin fonts that can at least measure SVG text.
const OTHER_FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/System/Library/Fonts/Helvetica.ttc",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// The font registered with plotters: (has Chinese characters, path), once per process.
fn font() -> Option<(bool, &'static str)> {
    static FONT: OnceLock<Option<(bool, String)>> = OnceLock::new();
    FONT.get_or_init(|| {
        let env = std::env::var("GONGKAI_FONT").ok().filter(|s| !s.is_empty());
        let cjk = env
            .iter()
            .map(String::as_str)
            .chain(CJK_FONTS.iter().copied())
            .map(|p| (true, p));
        let other = OTHER_FONTS.iter().map(|&p| (false, p));
        for (is_cjk, path) in cjk.chain(other) {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            // plotters keeps fonts for the life of the process.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            if register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
                return Some((is_cjk, path.to_string()));
            }
        }
        None
    })
    .as_ref()
    .map(|(cjk, p)| (*cjk, p.as_str()))
}

/// A colour-blind-safe palette (Okabe–Ito, then Tableau) for up to 16 lines.
const PALETTE: &[(u8, u8, u8)] = &[
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (0, 0, 0),
    (240, 228, 66),
    (140, 86, 75),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
    (148, 103, 189),
    (214, 39, 40),
    (44, 160, 44),
    (31, 119, 180),
];

impl Chart {
    /// Draws the chart to `path` (`.svg` or `.png`, by its extension).
    pub fn render(&self, path: &Path) -> Result<(), ChartError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let png = match ext.as_deref() {
            Some("svg") => false,
            Some("png") => true,
            _ => return Err(ChartError::Format(path.to_path_buf())),
        };
        match font() {
            Some((true, _)) => {}
            Some((false, _)) if !png => {}
            _ => return Err(ChartError::NoFont(path.to_path_buf())),
        }
        if self.years().is_empty() {
            return Err(ChartError::Empty(path.to_path_buf()));
        }
        let size = self.size();
        let draw_err = |message: String| ChartError::Draw {
            path: path.to_path_buf(),
            message,
        };
        if png {
            let mut buf = vec![255u8; size.0 as usize * size.1 as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
                self.draw(&root).map_err(draw_err)?;
                root.present().map_err(|e| draw_err(e.to_string()))?;
            }
            write_png(path, size, &buf).map_err(draw_err)
        } else {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                self.draw(&root).map_err(draw_err)?;
                root.present().map_err(|e| draw_err(e.to_string()))?;
            }
            std::fs::write(path, svg).map_err(|e| draw_err(e.to_string()))
        }
    }

    /// Every year of any series, ascending.
    pub fn years(&self) -> Vec<u16> {
        let mut years: Vec<u16> = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.year))
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    fn size(&self) -> (u32, u32) {
        let years = self.years().len() as u32;
        let legend_rows = if self.series.len() > 1 {
            self.series.len() as u32
        } else {
            0
        };
        (
            (300 + 70 * years).clamp(900, 2400),
            (560 + 8 * legend_rows).min(900),
        )
    }

    /// Draws the chart on any plotters backend (SVG, or the bitmap a PNG is made from).
    //
    // Long because plotters builds a chart as one chain on one context whose generic type is
    // unwieldy to pass around; the legend, which needs only the area, is its own function.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        let years = self.years();
        let (first, last) = (i32::from(years[0]), i32::from(years[years.len() - 1]));
        let top = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(YearPoint::share))
            .fold(0.0f64, f64::max);
        // Head room for the labels above the highest point; never past 100%.
        let y_max = if top <= 0.0 {
            0.1
        } else {
            (top * 1.18).min(1.0).max(top + 0.02)
        };
        let multi = self.series.len() > 1;
        let (plot, legend) = if multi {
            let (w, _) = root.dim_in_pixel();
            root.split_horizontally(w.saturating_sub(260))
        } else {
            let (w, _) = root.dim_in_pixel();
            root.split_horizontally(w)
        };
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(72)
            .build_cartesian_2d((first - 1)..(last + 1), 0.0..y_max)
            .map_err(e)?;
        chart
            .configure_mesh()
            // One label per year, none on the margins.
            .x_labels((last - first + 3) as usize)
            .x_label_formatter(&|x: &i32| {
                if (first..=last).contains(x) {
                    x.to_string()
                } else {
                    String::new()
                }
            })
            .y_labels(8)
            .y_label_formatter(&|y: &f64| format!("{:.0}%", y * 100.0))
            .x_desc("年份 year")
            .y_desc(&self.y_label)
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()
            .map_err(e)?;
        for (i, s) in self.series.iter().enumerate() {
            let (r, g, b) = PALETTE[i % PALETTE.len()];
            let colour = RGBColor(r, g, b);
            // A year with no reports has no share (0/0 is not 0%), and a year missing from
            // the corpus is not a value either: the line breaks there instead of drawing a
            // trend across years nobody measured.
            let mut points: Vec<(i32, f64)> = s
                .points
                .iter()
                .filter(|p| p.denominator > 0)
                .map(|p| (i32::from(p.year), p.share()))
                .collect();
            points.sort_by_key(|p| p.0);
            for run in points.chunk_by(|a, b| b.0 == a.0 + 1) {
                chart
                    .draw_series(LineSeries::new(run.to_vec(), colour.stroke_width(2)))
                    .map_err(e)?;
            }
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))
                .map_err(e)?;
            if !multi {
                // The counts behind each share, just above its point.
                chart
                    .draw_series(s.points.iter().filter(|p| p.denominator > 0).map(|p| {
                        Text::new(
                            format!("{}/{}", p.numerator, p.denominator),
                            (i32::from(p.year), p.share() + y_max * 0.02),
                            ("sans-serif", 13)
                                .into_font()
                                .color(&RGBColor(60, 60, 60))
                                .pos(Pos::new(HPos::Center, VPos::Bottom)),
                        )
                    }))
                    .map_err(e)?;
            }
        }
        if multi {
            // The denominators, once per year, just above the x axis.
            let mut totals: Vec<(u16, u64)> = Vec::new();
            for p in self.series.iter().flat_map(|s| &s.points) {
                match totals.iter_mut().find(|t| t.0 == p.year) {
                    Some(t) => t.1 = t.1.max(p.denominator),
                    None => totals.push((p.year, p.denominator)),
                }
            }
            chart
                .draw_series(totals.iter().map(|&(y, n)| {
                    Text::new(
                        format!("n={n}"),
                        (i32::from(y), y_max * 0.03),
                        ("sans-serif", 12)
                            .into_font()
                            .color(&RGBColor(90, 90, 90))
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
                }))
                .map_err(e)?;
            self.draw_legend(&legend)?;
        }
        Ok(())
    }

    /// The legend of a chart with several lines: a swatch and label per series, and what
    /// the `n=` counts above the axis are.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        legend: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        legend
            .draw(&Text::new(
                "图例 legend",
                (10, 50),
                ("sans-serif", 15).into_font(),
            ))
            .map_err(e)?;
        for (i, s) in self.series.iter().enumerate() {
            let (r, g, b) = PALETTE[i % PALETTE.len()];
            let y = 80 + 26 * i as i32;
            legend
                .draw(&PathElement::new(
                    vec![(10, y), (34, y)],
                    RGBColor(r, g, b).stroke_width(3),
                ))
                .map_err(e)?;
            legend
                .draw(&Circle::new((22, y), 4, RGBColor(r, g, b).filled()))
                .map_err(e)?;
            legend
                .draw(&Text::new(
                    s.label.clone(),
                    (42, y - 8),
                    ("sans-serif", 14).into_font(),
                ))
                .map_err(e)?;
        }
        legend
            .draw(&Text::new(
                format!("n = {} per year", self.unit),
                (10, 80 + 26 * self.series.len() as i32 + 10),
                ("sans-serif", 13).into_font().color(&RGBColor(90, 90, 90)),
            ))
            .map_err(e)?;
        Ok(())
    }
}

/// Writes an RGB buffer as a PNG file.
fn write_png(path: &Path, (w, h): (u32, u32), rgb: &[u8]) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut out = std::io::BufWriter::new(file);
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(rgb).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    std::io::Write::flush(&mut out).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_years() {
        let c = Chart {
            title: "t".into(),
            y_label: "y".into(),
            unit: "reports".into(),
            series: vec![Series {
                label: "a".into(),
                points: vec![
                    YearPoint {
                        year: 2012,
                        numerator: 1,
                        denominator: 4,
                    },
                    YearPoint {
                        year: 2010,
                        numerator: 0,
                        denominator: 0,
                    },
                ],
            }],
        };
        assert_eq!(c.years(), [2010, 2012]);
        assert_eq!(c.series[0].points[0].share(), 0.25);
        assert_eq!(c.series[0].points[1].share(), 0.0);
        let e = c.render(Path::new("x.jpg")).expect_err("not svg/png");
        assert!(matches!(e, ChartError::Format(_)));
    }

    #[test]
    fn a_year_without_reports_breaks_the_line() {
        let point = |year, numerator, denominator| YearPoint {
            year,
            numerator,
            denominator,
        };
        let chart = |points: Vec<YearPoint>| Chart {
            title: "t".into(),
            y_label: "y".into(),
            unit: "reports".into(),
            series: vec![Series {
                label: "a".into(),
                points,
            }],
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let lines = |c: Chart, name: &str| {
            let path = dir.path().join(name);
            c.render(&path).expect("render");
            let svg = std::fs::read_to_string(&path).expect("read");
            svg.matches("<polyline").count()
        };
        let years = |skip: u16, empty: u16| {
            (2010..=2014)
                .filter(|&y| y != skip)
                .map(|y| point(y, 1, if y == empty { 0 } else { 4 }))
                .collect::<Vec<_>>()
        };
        // The same x axis (2010–2014) each time, so the grid lines are the same.
        let whole = lines(chart(years(0, 0)), "whole.svg");
        let missing = lines(chart(years(2012, 0)), "missing.svg");
        let empty = lines(chart(years(0, 2012)), "empty.svg");
        assert_eq!(
            missing,
            whole + 1,
            "a year missing from the corpus breaks the line"
        );
        assert_eq!(empty, whole + 1, "a year with no reports breaks the line");
    }
}
