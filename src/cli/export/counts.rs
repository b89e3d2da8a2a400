//! The grouped count tables: `export boilerplate` and `export themes`, one row per group ×
//! formula or theme, from analyses or from an index, each with its optional per-year chart.

use anyhow::Result;

use gongkai::export::GroupBy;
use gongkai::export::boilerplate::BoilerplateTable;
use gongkai::export::chart::{Chart, Series, YearPoint};
use gongkai::export::themes::ThemeTable;

use super::args::{BoilerplateArgs, By, ThemesArgs, ThemesBy};
use super::charts::{ThemeYears, check_plot};
use super::input::{Setup, summaries};

/// `export boilerplate`: formula counts and shares per group, and the share per year as a chart.
pub(super) fn boilerplate(args: &BoilerplateArgs) -> Result<bool> {
    check_plot(&args.plot, args.by == By::Year)?;
    let setup = Setup::new(&args.common)?;
    let by = GroupBy::from(args.by);
    let formulas = setup.analyzer.boilerplate().formulas().to_vec();
    let mut table = BoilerplateTable::new(&formulas, by);
    // Per year: boilerplate and narrative characters (for the chart).
    let mut per_year: Vec<(u16, u64, u64)> = Vec::new();
    let ok = summaries(&setup, &args.common, "export boilerplate", |s| {
        if let Some(y) = s.year {
            let i = match per_year.iter().position(|p| p.0 == y) {
                Some(i) => i,
                None => {
                    per_year.push((y, 0, 0));
                    per_year.len() - 1
                }
            };
            per_year[i].1 += s.share.boilerplate_chars as u64;
            per_year[i].2 += s.share.narrative_chars as u64;
        }
        table.add(&s)
    })?;
    let per_report = by == GroupBy::Report;
    setup.write(
        &args.common,
        &BoilerplateTable::header(by),
        table.rows(),
        per_report,
    )?;
    if let Some(plot) = &args.plot {
        let chart = Chart {
            title: "套话占叙述文字的比例 Boilerplate share of the narrative".into(),
            y_label: "套话字数 / 叙述字数 boilerplate chars / narrative chars".into(),
            unit: "chars".into(),
            series: vec![Series {
                label: "boilerplate_share".into(),
                points: per_year
                    .iter()
                    .map(|&(year, b, n)| YearPoint {
                        year,
                        numerator: b,
                        denominator: n,
                    })
                    .collect(),
            }],
        };
        chart.render(plot)?;
        eprintln!(
            "gongkai export boilerplate: chart written to {}",
            plot.display()
        );
    }
    Ok(ok)
}

/// `export themes`: reports admitting each theme per group, and per year as a chart.
pub(super) fn themes(args: &ThemesArgs) -> Result<bool> {
    check_plot(&args.plot, args.by == ThemesBy::Year)?;
    let setup = Setup::new(&args.common)?;
    let by = match args.by {
        ThemesBy::Report => GroupBy::Report,
        ThemesBy::Year => GroupBy::Year,
        ThemesBy::Agency => GroupBy::Agency,
        ThemesBy::Province => GroupBy::Province,
        ThemesBy::Level => GroupBy::Level,
    };
    let themes = setup.analyzer.themes().themes().to_vec();
    let mut table = ThemeTable::new(&themes, by);
    let mut per_year = ThemeYears::new(&themes);
    let ok = summaries(&setup, &args.common, "export themes", |s| {
        per_year.add(&s);
        table.add(&s)
    })?;
    let per_report = by == GroupBy::Report;
    setup.write(
        &args.common,
        &ThemeTable::header(by),
        table.rows(),
        per_report,
    )?;
    if let Some(plot) = &args.plot {
        per_year.chart().render(plot)?;
        eprintln!("gongkai export themes: chart written to {}", plot.display());
    }
    Ok(ok)
}
