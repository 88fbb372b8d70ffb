//! `findings redo`: re-apply the last findings write `undo` took back.

use super::write::{report, WriteArgs};
use super::{CmdResult, Ctx};
use crate::ops::WriteOpts;
use clap::Args;

#[derive(Args, Debug, Clone)]
pub(crate) struct RedoArgs {
    #[command(flatten)]
    pub(crate) write: WriteArgs,
}

pub(crate) fn redo(ctx: &Ctx, a: &RedoArgs) -> CmdResult {
    let repo = crate::store::Repo::config_only(&ctx.root)?;
    let opts = WriteOpts {
        dry_run: a.write.dry_run,
        no_commit: a.write.no_commit,
        no_verify: a.write.no_verify,
        ..Default::default()
    };
    let o = crate::ops::undo::redo(&repo, &opts)?;
    report(ctx, &o, a.write.format)
}
