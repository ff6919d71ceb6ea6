//! 产学研精准对接: ranking experts for enterprises' technical needs, and assigning experts to
//! enterprises in matchmaking events.
