//! `kexie match …`: the matchmaking engine from the command line.

use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum MatchCommand {
    /// Rank every expert for every need and print nDCG@10, Recall@10 and MRR against judgements.
    Eval {
        #[arg(long)]
        experts: PathBuf,
        #[arg(long)]
        needs: PathBuf,
        #[arg(long)]
        qrels: PathBuf,
    },
    /// Assign experts to enterprises maximising total relevance; prints total, lowest, time.
    Assign {
        #[arg(long)]
        scores: PathBuf,
        #[arg(long)]
        experts: PathBuf,
        #[arg(long)]
        enterprises: PathBuf,
        /// Maximise the lowest enterprise's total first.
        #[arg(long)]
        fair: bool,
        /// Also lay the meetings out in this many time slots, nobody double-booked.
        #[arg(long)]
        slots: Option<usize>,
    },
}

pub fn run(cmd: MatchCommand) -> Result<()> {
    match cmd {
        MatchCommand::Eval { experts, needs, qrels } => crate::match_eval::run(&experts, &needs, &qrels),
        MatchCommand::Assign { scores, experts, enterprises, fair, slots } => {
            crate::match_assign::run(&scores, &experts, &enterprises, fair, slots)
        }
    }
}
