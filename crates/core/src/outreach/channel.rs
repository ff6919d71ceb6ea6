//! The nine channels of 九位一体 and how each one's reach is counted.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 科普e站 screens: published by scheduling on the screens.
    Screen,
    Tv,
    Radio,
    Newspaper,
    Website,
    Wechat,
    App,
    ShortVideo,
    /// 文艺演出: 快板, 小品, 相声 at practice stations and squares.
    Stage,
}

/// How a channel's person-times are known; shown next to every figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReachMethod {
    /// Screens' proof of play: counted where a station has a people counter, estimated from its
    /// audience per hour otherwise.
    ProofOfPlay,
    /// The statistics file the platform's back office exports.
    PlatformStats,
    /// An audience estimate entered with its basis (ratings, circulation).
    Estimate,
    /// People counted at the venue.
    Attendance,
}

impl Channel {
    pub const ALL: [Channel; 9] = [
        Channel::Screen,
        Channel::Tv,
        Channel::Radio,
        Channel::Newspaper,
        Channel::Website,
        Channel::Wechat,
        Channel::App,
        Channel::ShortVideo,
        Channel::Stage,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Screen => "screen",
            Channel::Tv => "tv",
            Channel::Radio => "radio",
            Channel::Newspaper => "newspaper",
            Channel::Website => "website",
            Channel::Wechat => "wechat",
            Channel::App => "app",
            Channel::ShortVideo => "short_video",
            Channel::Stage => "stage",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn reach_method(self) -> ReachMethod {
        match self {
            Channel::Screen => ReachMethod::ProofOfPlay,
            Channel::Wechat | Channel::ShortVideo | Channel::Website | Channel::App => ReachMethod::PlatformStats,
            Channel::Tv | Channel::Radio | Channel::Newspaper => ReachMethod::Estimate,
            Channel::Stage => ReachMethod::Attendance,
        }
    }

    /// Whether staff record the publication by hand (everything but the screens, which kexie
    /// schedules itself).
    pub fn is_manual(self) -> bool {
        self != Channel::Screen
    }
}

impl ReachMethod {
    pub fn code(self) -> &'static str {
        match self {
            ReachMethod::ProofOfPlay => "proof_of_play",
            ReachMethod::PlatformStats => "platform_stats",
            ReachMethod::Estimate => "estimate",
            ReachMethod::Attendance => "attendance",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_nine() {
        assert_eq!(Channel::ALL.len(), 9);
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
        assert_eq!(Channel::Screen.reach_method(), ReachMethod::ProofOfPlay);
        assert!(!Channel::Screen.is_manual() && Channel::Radio.is_manual());
    }
}
