//! 科普e站 in the web layer: the device API and media for screens, the web player, and the
//! staff pages (stations and screens, media, schedules, groups, interrupts, delivery receipts,
//! proof of play).

pub mod content;
pub mod device;
pub mod media;
pub mod player;
pub mod report;
pub mod station;

/// Keeps this node in step with changes other nodes make to what screens play.
pub fn follow_changes(store: kexie_store::Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            if let Err(e) = store.follow_screen_changes().await {
                tracing::warn!(error = %e, "following screen changes");
            }
        }
    });
}
