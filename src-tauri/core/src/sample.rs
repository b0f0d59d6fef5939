//! The sample session: a local housing-rights coalition's first mapping workshop, built in
//! so a new facilitator can see what the tool is for.

use crate::interchange::{InterchangeDocument, FORMAT};
use crate::model::{
    Commitment, CommitmentStatus, Grid, GridKind, Millis, Organization, Participant, Placement, Relationship,
    RelationshipKind, Sector, Session,
};

/// The sample's title, so a facilitator (and the CLI) can recognise it.
pub const SAMPLE_TITLE: &str = "Sample: Riverside housing-rights coalition";

struct SampleOrganization {
    name: &'static str,
    label: &'static str,
    sector: Sector,
    affected: bool,
    notes: &'static str,
    /// Who the coalition knows there.
    contact: &'static str,
    /// Where it sits on the power-interest grid.
    interest: (f64, f64),
    /// Its wedge on the spectrum of allies (0 active allies … 4 active opposition) and the
    /// distance from the centre, 0 to 1.
    wedge: (usize, f64),
}

const ORGANIZATIONS: &[SampleOrganization] = &[
    SampleOrganization {
        name: "Riverside Tenants Union",
        label: "Tenants Union",
        sector: Sector::CommunityGroup,
        affected: true,
        notes: "Started the campaign after the Maple Court evictions. 300 member households.",
        contact: "Amina Diallo, co-chair",
        interest: (0.9, 0.38),
        wedge: (0, 0.35),
    },
    SampleOrganization {
        name: "Eastside Renters Assembly",
        label: "Renters Assembly",
        sector: Sector::CommunityGroup,
        affected: true,
        notes: "Meets monthly; strong with Spanish-speaking families.",
        contact: "",
        interest: (0.82, 0.26),
        wedge: (0, 0.6),
    },
    SampleOrganization {
        name: "Youth Against Displacement",
        label: "YAD",
        sector: Sector::CommunityGroup,
        affected: true,
        notes: "High-school and college organizers; good at social media.",
        contact: "",
        interest: (0.74, 0.12),
        wedge: (0, 0.85),
    },
    SampleOrganization {
        name: "Housing Justice Legal Aid",
        label: "Legal Aid",
        sector: Sector::Ngo,
        affected: false,
        notes: "Represents tenants in eviction court; can draft policy.",
        contact: "",
        interest: (0.7, 0.42),
        wedge: (1, 0.4),
    },
    SampleOrganization {
        name: "Building Trades Local 217",
        label: "Local 217",
        sector: Sector::Union,
        affected: false,
        notes: "Members are also renters; leadership cautious about rent rules.",
        contact: "Joe Kowalski, business agent",
        interest: (0.6, 0.62),
        wedge: (1, 0.75),
    },
    SampleOrganization {
        name: "St. Brigid's Parish",
        label: "St. Brigid's",
        sector: Sector::FaithGroup,
        affected: false,
        notes: "Offers its hall; the priest spoke at the vigil.",
        contact: "Fr. Tomás Reyes",
        interest: (0.58, 0.3),
        wedge: (1, 0.55),
    },
    SampleOrganization {
        name: "State University Urban Lab",
        label: "Urban Lab",
        sector: Sector::Academic,
        affected: false,
        notes: "Has eviction data for the last five years.",
        contact: "",
        interest: (0.3, 0.2),
        wedge: (2, 0.3),
    },
    SampleOrganization {
        name: "The Riverside Courier",
        label: "Courier",
        sector: Sector::Media,
        affected: false,
        notes: "Housing reporter is sympathetic; editor less so.",
        contact: "Dana Whitfield, city desk",
        interest: (0.4, 0.6),
        wedge: (2, 0.65),
    },
    SampleOrganization {
        name: "Riverside Community Foundation",
        label: "Foundation",
        sector: Sector::Funder,
        affected: false,
        notes: "Funds legal aid; wary of 'political' work.",
        contact: "",
        interest: (0.2, 0.45),
        wedge: (2, 0.9),
    },
    SampleOrganization {
        name: "City Council Housing Committee",
        label: "Council",
        sector: Sector::Government,
        affected: false,
        notes: "Three of five members undecided. The target.",
        contact: "Staff: Priya Nair (Cllr. Moreno's office)",
        interest: (0.68, 0.9),
        wedge: (3, 0.4),
    },
    SampleOrganization {
        name: "Office of the Mayor",
        label: "Mayor",
        sector: Sector::Government,
        affected: false,
        notes: "Says housing is a priority; close to developers.",
        contact: "",
        interest: (0.35, 0.95),
        wedge: (3, 0.75),
    },
    SampleOrganization {
        name: "Riverside Chamber of Commerce",
        label: "Chamber",
        sector: Sector::Business,
        affected: false,
        notes: "",
        contact: "",
        interest: (0.25, 0.72),
        wedge: (3, 0.95),
    },
    SampleOrganization {
        name: "Harbor Property Group",
        label: "Harbor",
        sector: Sector::Business,
        affected: false,
        notes: "Largest landlord in the city; owns Maple Court.",
        contact: "",
        interest: (0.92, 0.8),
        wedge: (4, 0.6),
    },
];

/// Where a card sits in `wedge` (0–4) of a spectrum-of-allies grid at `distance` from the
/// centre, spread along the wedge by `spread` (0–1) so cards of one wedge do not overlap.
fn spectrum_point(wedge: usize, distance: f64, spread: f64) -> (f64, f64) {
    let step = std::f64::consts::PI / 5.0;
    let from_left = step * (wedge as f64 + 0.25 + 0.5 * spread);
    let angle = std::f64::consts::PI - from_left;
    let x = 0.5 + distance * angle.cos() / 2.0;
    let y = distance * angle.sin();
    let round = |v: f64| (v.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0;
    (round(x), round(y))
}

/// The sample session as a document dated `now`, its commitments due around that day.
pub fn sample_document(now: Millis) -> InterchangeDocument {
    let today =
        time::OffsetDateTime::from_unix_timestamp(now.div_euclid(1000)).map(|t| t.date()).unwrap_or(time::Date::MIN);
    let day = |offset: i64| -> Option<String> {
        let date = today.checked_add(time::Duration::days(offset))?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        date.format(&format).ok()
    };
    let id = |prefix: &str, n: usize| format!("sample-{prefix}-{n}");
    let session = Session {
        id: "sample-session".to_string(),
        title: SAMPLE_TITLE.to_string(),
        question: "How do we win a just-cause eviction ordinance in Riverside this year?".to_string(),
        date: day(0),
        place: "St. Brigid's Parish hall".to_string(),
        facilitator: "Alex Rivera".to_string(),
        notes: "First mapping session of the coalition. Next: follow up the commitments in two weeks.".to_string(),
        follows_up: None,
        campaign: String::new(),
        created_at: now,
        updated_at: now,
    };
    let organizations: Vec<Organization> = ORGANIZATIONS
        .iter()
        .enumerate()
        .map(|(n, o)| Organization {
            id: id("org", n),
            identity: id("org", n),
            name: o.name.to_string(),
            short_label: o.label.to_string(),
            sector: o.sector,
            directly_affected: o.affected,
            notes: o.notes.to_string(),
            colour: o.sector.default_colour().to_string(),
            contact: o.contact.to_string(),
        })
        .collect();
    let grids: Vec<Grid> = [GridKind::PowerInterest, GridKind::SpectrumOfAllies]
        .into_iter()
        .enumerate()
        .map(|(n, kind)| Grid {
            id: id("grid", n),
            identity: id("grid", n),
            kind,
            title: kind.default_title(),
            labels: kind.default_labels(),
        })
        .collect();
    let mut placements = Vec::new();
    for (n, o) in ORGANIZATIONS.iter().enumerate() {
        let (x, y) = o.interest;
        placements.push(Placement {
            grid_id: grids[0].id.clone(),
            organization_id: id("org", n),
            x,
            y,
            moved_by: String::new(),
            moved_at: now,
        });
    }
    for (n, o) in ORGANIZATIONS.iter().enumerate() {
        let (wedge, distance) = o.wedge;
        let in_wedge = ORGANIZATIONS[..n].iter().filter(|p| p.wedge.0 == wedge).count();
        let (x, y) = spectrum_point(wedge, distance, (in_wedge as f64 * 0.4).min(1.0));
        placements.push(Placement {
            grid_id: grids[1].id.clone(),
            organization_id: id("org", n),
            x,
            y,
            moved_by: String::new(),
            moved_at: now,
        });
    }
    let commitment =
        |n: usize, organization: Option<usize>, person: &str, action: &str, due: Option<String>, status| Commitment {
            id: id("commitment", n),
            organization_id: organization.map(|o| id("org", o)),
            person: person.to_string(),
            action: action.to_string(),
            due,
            status,
            notes: String::new(),
            created_at: now,
        };
    let commitments = vec![
        commitment(0, Some(0), "Dolores", "Bring 40 tenants to the council hearing", day(14), CommitmentStatus::Open),
        commitment(
            1,
            Some(3),
            "",
            "Draft a two-page summary of the just-cause ordinance",
            day(7),
            CommitmentStatus::Open,
        ),
        commitment(
            2,
            Some(5),
            "Father Tom",
            "Host the next coalition meeting in the parish hall",
            day(21),
            CommitmentStatus::Open,
        ),
        commitment(
            3,
            Some(4),
            "Maria",
            "Ask the union executive to endorse the campaign",
            day(-3),
            CommitmentStatus::Open,
        ),
        commitment(
            4,
            Some(6),
            "",
            "Share five years of eviction data with the coalition",
            day(-1),
            CommitmentStatus::Done,
        ),
    ];
    let participant = |n: usize, name: &str, organization: Option<usize>| Participant {
        id: id("participant", n),
        name: name.to_string(),
        organization_id: organization.map(|o| id("org", o)),
    };
    let participants = vec![
        participant(0, "Dolores", Some(0)),
        participant(1, "Maria", Some(4)),
        participant(2, "Father Tom", Some(5)),
        participant(3, "Devon", Some(2)),
    ];
    let relationship = |n: usize, from: usize, kind, to: usize, mutual, strength, note: &str| Relationship {
        id: id("relationship", n),
        from_id: id("org", from),
        to_id: id("org", to),
        kind,
        mutual,
        strength,
        note: note.to_string(),
    };
    // Among them, a group not led by directly affected people speaking for one that is.
    let relationships = vec![
        relationship(0, 3, RelationshipKind::SpeaksFor, 0, false, 2, "Presents the union's case at council hearings"),
        relationship(1, 8, RelationshipKind::Funds, 3, false, 3, "Two-year grant for tenant defence"),
        relationship(2, 0, RelationshipKind::WorksWith, 1, true, 3, "Joint door-knocking since the spring"),
        relationship(3, 4, RelationshipKind::WorksWith, 0, true, 1, ""),
        relationship(4, 12, RelationshipKind::Opposes, 0, false, 3, "Filed 40 evictions last year"),
        relationship(5, 11, RelationshipKind::WorksWith, 10, true, 2, ""),
    ];
    InterchangeDocument {
        format: FORMAT.to_string(),
        session,
        organizations,
        grids,
        placements,
        commitments,
        participants,
        reviews: Vec::new(),
        relationships,
        rounds: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_spectrum_cards_sit_in_their_wedges() {
        let document = sample_document(1_700_000_000_000);
        let spectrum = &document.grids[1];
        for placement in document.placements.iter().filter(|p| p.grid_id == spectrum.id) {
            let n: usize = placement.organization_id.trim_start_matches("sample-org-").parse().unwrap();
            assert_eq!(
                spectrum.kind.region_at(placement.x, placement.y),
                ORGANIZATIONS[n].wedge.0,
                "{} must be drawn in the wedge the sample puts it in",
                ORGANIZATIONS[n].name
            );
        }
    }
}
