//! `kexie match …`: the matchmaking engine from the command line.

use anyhow::{Result, bail};
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
    },
}

pub fn run(cmd: MatchCommand) -> Result<()> {
    match cmd {
        MatchCommand::Eval { .. } => bail!("match eval: being built"),
        MatchCommand::Assign { .. } => bail!("match assign: being built"),
    }
}
