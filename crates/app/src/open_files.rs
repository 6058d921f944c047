//! The process's open-files limit: each connection is a file, and the common soft limit
//! (1,024) is far below what a server holds. `replique serve` raises it to the hard limit
//! at start.

/// Raises the open-files soft limit to the hard limit (each connection is a file) and logs
/// it; the connections the server may hold, a margin left for the database, uploads and
/// logs.
pub fn raise_limit(wanted_connections: usize) -> usize {
    let before = rlimit::getrlimit(rlimit::Resource::NOFILE).ok();
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(soft) => {
            let hard = before.map(|(_, hard)| hard);
            tracing::info!(before = before.map(|(soft, _)| soft), soft, hard, "open files limit");
            let usable = usize::try_from(soft.saturating_sub(128)).unwrap_or(usize::MAX).max(16);
            if usable < wanted_connections {
                tracing::warn!(connections = usable, "connections capped below the open files limit");
            }
            wanted_connections.min(usable)
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot raise the open files limit");
            wanted_connections
        }
    }
}
