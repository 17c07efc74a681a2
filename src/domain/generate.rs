//! What pressing Generate (or Ctrl/⌘+Enter) did, said in one line in the Generate bar, which
//! stays on screen at every width, and where the focus should go next.

use super::form::Field;
use super::message::{Explanation, Msg};

/// The outcome of the last Generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenerateOutcome {
    /// Fields need fixing first (the first one gets the focus).
    Invalid(Vec<Field>),
    /// No connection yet: no key, a key that cannot be sent, an endpoint that needs fixing.
    NotReady {
        /// Why.
        why: Msg,
        /// True when the key is the problem (else the endpoint).
        key: bool,
    },
    /// On its way.
    Submitting,
    /// Refused, or the reply never came (the explanation is shown right above the line).
    Refused(Explanation),
    /// Created: the new take's id in the ledger.
    Submitted(String),
    /// A batch on its way: take `take` of `of` is being sent, or waits for room on the account
    /// (`waiting`: the running limit is reached; it goes when a task ends).
    Sending {
        /// The take being sent, from 1.
        take: u8,
        /// How many the batch asked for.
        of: u8,
        /// Waiting for the running limit.
        waiting: bool,
    },
    /// Every take of a batch of this many was created.
    SubmittedBatch(u8),
    /// A batch stopped at a take that was refused or whose reply never came: `sent` of `of` were
    /// created before it; the rest were not sent (the explanation is shown above the line).
    BatchStopped {
        /// Takes created.
        sent: u8,
        /// How many the batch asked for.
        of: u8,
        /// What happened to the next one.
        explanation: Explanation,
    },
    /// The user stopped a batch after `sent` of `of` takes.
    BatchCanceled {
        /// Takes created.
        sent: u8,
        /// How many the batch asked for.
        of: u8,
    },
}

impl GenerateOutcome {
    /// The line in the Generate bar.
    pub fn line(&self) -> Msg {
        match self {
            GenerateOutcome::Invalid(fields) => {
                let names = fields
                    .iter()
                    .map(|f| field_label(*f))
                    .reduce(|a, b| Msg::new("generate.list").with("a", a).with("b", b))
                    .unwrap_or_else(|| Msg::verbatim(""));
                Msg::new("generate.invalid")
                    .with("n", fields.len().to_string())
                    .with("fields", names)
            }
            GenerateOutcome::NotReady { why, .. } => why.clone(),
            GenerateOutcome::Submitting => Msg::new("form.submitting"),
            GenerateOutcome::Refused(e) if e.maybe_created => Msg::new("generate.maybe_created"),
            GenerateOutcome::Refused(_) => Msg::new("generate.refused"),
            GenerateOutcome::Submitted(_) => Msg::new("generate.submitted"),
            GenerateOutcome::Sending { take, of, waiting } => Msg::new(if *waiting {
                "generate.batch_waiting"
            } else {
                "generate.batch_sending"
            })
            .with("take", take.to_string())
            .with("of", of.to_string())
            .with("limit", super::history::RUNNING_LIMIT.to_string()),
            GenerateOutcome::SubmittedBatch(n) => {
                Msg::new("generate.batch_submitted").with("n", n.to_string())
            }
            GenerateOutcome::BatchStopped {
                sent,
                of,
                explanation,
            } => Msg::new(if explanation.maybe_created {
                "generate.batch_maybe_created"
            } else {
                "generate.batch_stopped"
            })
            .with("sent", sent.to_string())
            .with("of", of.to_string())
            .with("next", (sent + 1).to_string()),
            GenerateOutcome::BatchCanceled { sent, of } => Msg::new("generate.batch_canceled")
                .with("sent", sent.to_string())
                .with("of", of.to_string()),
        }
    }

    /// True for outcomes that need the user (shown as a problem).
    pub fn needs_attention(&self) -> bool {
        !matches!(
            self,
            GenerateOutcome::Submitting
                | GenerateOutcome::Submitted(_)
                | GenerateOutcome::Sending { .. }
                | GenerateOutcome::SubmittedBatch(_)
        )
    }
}

/// The label's catalog key of a form field (the same words as the field's own label).
pub fn field_label(field: Field) -> Msg {
    Msg::new(match field {
        Field::Prompt => "form.prompt",
        Field::NegativePrompt => "form.negative_prompt",
        Field::AudioUrl => "form.audio_url",
        Field::Media(name) => return Msg::new(&format!("form.media.{name}")),
        Field::Duration => "form.duration",
        Field::ShotType => "form.shot_type",
        Field::Seed => "form.seed",
    })
}

/// The element id of a form field, for moving the focus to it.
pub fn field_dom_id(field: Field) -> &'static str {
    match field {
        Field::Prompt => "prompt",
        Field::NegativePrompt => "negative-prompt",
        Field::AudioUrl => "audio-url",
        // The media inputs' ids are their wire names (`first_frame`, `reference_urls`, …).
        Field::Media(name) => name,
        Field::Duration => "duration",
        Field::ShotType => "shot-type",
        Field::Seed => "seed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_a_line_in_both_languages() {
        let outcomes = [
            GenerateOutcome::Invalid(vec![Field::Prompt, Field::Seed]),
            GenerateOutcome::NotReady {
                why: Msg::new("settings.error.no_key"),
                key: true,
            },
            GenerateOutcome::Submitting,
            GenerateOutcome::Refused(Explanation::plain(Msg::new("error.http_401"))),
            GenerateOutcome::Refused(Explanation {
                maybe_created: true,
                ..Explanation::plain(Msg::new("error.http_502"))
            }),
            GenerateOutcome::Submitted("t".into()),
            GenerateOutcome::Sending {
                take: 2,
                of: 4,
                waiting: false,
            },
            GenerateOutcome::Sending {
                take: 3,
                of: 4,
                waiting: true,
            },
            GenerateOutcome::SubmittedBatch(4),
            GenerateOutcome::BatchStopped {
                sent: 1,
                of: 3,
                explanation: Explanation::plain(Msg::new("error.http_401")),
            },
            GenerateOutcome::BatchStopped {
                sent: 0,
                of: 2,
                explanation: Explanation {
                    maybe_created: true,
                    ..Explanation::plain(Msg::new("error.http_502"))
                },
            },
            GenerateOutcome::BatchCanceled { sent: 2, of: 4 },
        ];
        for o in outcomes {
            let (en, zh) = (o.line().en(), o.line().zh());
            assert!(
                !en.is_empty() && !zh.is_empty() && !en.contains("%{"),
                "{o:?}: {en}"
            );
        }
        let invalid = GenerateOutcome::Invalid(vec![Field::Prompt, Field::Seed])
            .line()
            .en();
        assert!(
            invalid.contains("Prompt") && invalid.contains("Seed") && invalid.contains('2'),
            "{invalid}"
        );
        assert!(GenerateOutcome::Invalid(vec![]).needs_attention());
        assert!(!GenerateOutcome::Submitted("t".into()).needs_attention());
    }

    #[test]
    fn fields_map_to_their_elements() {
        for f in Field::ALL {
            assert!(!field_dom_id(f).is_empty());
            assert!(!field_label(f).en().is_empty());
        }
    }
}
