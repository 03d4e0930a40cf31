-- +goose Up
-- The clinic's form (issue 13): each published version of the questionnaire
-- (FHIR R4 Questionnaire, questionnaire.json) and its rule set (rules.json),
-- stored as published, with who signed it off and who published it. The
-- newest row is the live form; rows are never changed or deleted, so an
-- enquiry can always be read with the wording it was answered with.
CREATE TABLE form_version (
    id            bigserial   PRIMARY KEY,
    url           text        NOT NULL,
    version       text        NOT NULL,
    questionnaire text        NOT NULL,
    rules         text        NOT NULL,
    -- hex SHA-256 of questionnaire, a zero byte, rules (intake.FormSHA256)
    sha256        text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    signed_off_by text        NOT NULL CHECK (signed_off_by <> ''),
    published_by  text        NOT NULL CHECK (published_by <> ''),
    published_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (url, version)
);

-- Version 1 is the form every enquiry before this migration was answered
-- with: intake/forms/default as shipped (the contract's questions of
-- DESIGN.md, rule set default-2026.11-1).
-- +goose StatementBegin
INSERT INTO form_version (id, url, version, questionnaire, rules, sha256, signed_off_by, published_by, published_at)
SELECT 1, 'https://github.com/clinic/intake/fhir/Questionnaire/default', 'default-2026.11-1', q, r,
       encode(sha256(convert_to(q, 'UTF8') || '\x00'::bytea || convert_to(r, 'UTF8')), 'hex'),
       'the default form as shipped (DESIGN.md: screening questions and default rules)', 'migration 00080', now()
FROM (SELECT $form${
  "resourceType": "Questionnaire",
  "language": "en",
  "extension": [{"url": "https://github.com/clinic/intake/fhir/StructureDefinition/translation-language", "valueCode": "es"}],
  "url": "https://github.com/clinic/intake/fhir/Questionnaire/default",
  "version": "default-2026.11-1",
  "title": "Health screening questions",
  "_title": {
    "extension": [
      {
        "url": "http://hl7.org/fhir/StructureDefinition/translation",
        "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Preguntas sobre su salud"}]
      }
    ]
  },
  "status": "active",
  "item": [
    {
      "linkId": "about",
      "text": "About you",
      "_text": {
        "extension": [
          {
            "url": "http://hl7.org/fhir/StructureDefinition/translation",
            "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sobre usted"}]
          }
        ]
      },
      "type": "group",
      "item": [
        {
          "linkId": "adult",
          "text": "Are you 18 or older?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Tiene 18 años o más?"}]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/adult",
                "code": "yes",
                "display": "Yes",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/adult",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            }
          ]
        }
      ]
    },
    {
      "linkId": "health",
      "text": "Your health",
      "_text": {
        "extension": [
          {"url": "http://hl7.org/fhir/StructureDefinition/translation", "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Su salud"}]}
        ]
      },
      "type": "group",
      "item": [
        {
          "linkId": "health_intro",
          "text": "These questions help us check that treatment is safe for you. Answer as best you can; \"I'm not sure\" is always fine.",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                  {"url": "lang", "valueCode": "es"},
                  {
                    "url": "content",
                    "valueString": "Estas preguntas nos ayudan a comprobar que el tratamiento sea seguro para usted. Responda lo mejor que pueda; «No estoy seguro(a)» siempre es una respuesta válida."
                  }
                ]
              }
            ]
          },
          "type": "display"
        },
        {
          "linkId": "hypertension",
          "text": "Have you been told you have high blood pressure?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Alguna vez le han dicho que tiene la presión arterial alta?"}]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/hypertension",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/hypertension",
                "code": "controlled",
                "display": "Yes, and it is under control",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí, y está controlada"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/hypertension",
                "code": "uncontrolled",
                "display": "Yes, and it is not under control",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí, y no está controlada"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/hypertension",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ]
        },
        {
          "extension": [{"url": "https://github.com/clinic/intake/fhir/StructureDefinition/all-or-none", "valueBoolean": true}],
          "linkId": "bp",
          "text": "Your most recent blood-pressure reading, if you know it",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Su medición de presión arterial más reciente, si la sabe"}]
              }
            ]
          },
          "type": "group",
          "enableWhen": [
            {"question": "hypertension", "operator": "!=", "answerCoding": {"system": "https://github.com/clinic/intake/fhir/CodeSystem/hypertension", "code": "no"}}
          ],
          "item": [
            {
              "linkId": "bp_hint",
              "text": "Optional. For example 120 over 80.",
              "_text": {
                "extension": [
                  {
                    "url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Opcional. Por ejemplo, 120 sobre 80."}]
                  }
                ]
              },
              "type": "display"
            },
            {
              "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 50},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 300}
              ],
              "linkId": "bp_systolic",
              "text": "Top number",
              "_text": {
                "extension": [
                  {
                    "url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Número de arriba"}]
                  }
                ]
              },
              "type": "integer"
            },
            {
              "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 30},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 200}
              ],
              "linkId": "bp_diastolic",
              "text": "Bottom number",
              "_text": {
                "extension": [
                  {
                    "url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Número de abajo"}]
                  }
                ]
              },
              "type": "integer"
            }
          ]
        },
        {
          "linkId": "heart_conditions",
          "text": "Do you have any of these heart conditions?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Tiene alguno de estos problemas del corazón?"}]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "repeats": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/heart_conditions",
                "code": "heart_attack_recent",
                "display": "A heart attack, recently",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Un infarto, recientemente"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/heart_conditions",
                "code": "chest_pain",
                "display": "New or unexplained chest pain",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Dolor en el pecho nuevo o sin explicación"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/heart_conditions",
                "code": "stent_or_bypass_recent",
                "display": "A stent or heart bypass, recently",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Un stent o un bypass del corazón, recientemente"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/heart_conditions",
                "code": "heart_failure",
                "display": "Heart failure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Insuficiencia cardíaca"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/heart_conditions",
                "code": "arrhythmia",
                "display": "An irregular heartbeat",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Latidos irregulares del corazón (arritmia)"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/heart_conditions",
                "code": "other",
                "display": "Another heart condition",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Otro problema del corazón"}]
                    }
                  ]
                }
              }
            },
            {
              "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive", "valueBoolean": true}],
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/heart_conditions",
                "code": "none",
                "display": "None of these",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Ninguno de estos"}]
                    }
                  ]
                }
              }
            },
            {
              "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive", "valueBoolean": true}],
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/heart_conditions",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ],
          "item": [
            {
              "linkId": "heart_conditions_hint",
              "text": "Choose all that apply. \"Recent\" means in the last 12 months.",
              "_text": {
                "extension": [
                  {
                    "url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [
                      {"url": "lang", "valueCode": "es"},
                      {"url": "content", "valueString": "Elija todas las opciones que correspondan. «Recientemente» quiere decir en los últimos 12 meses."}
                    ]
                  }
                ]
              },
              "type": "display"
            }
          ]
        },
        {
          "linkId": "stroke",
          "text": "Have you ever had a stroke or a mini-stroke (TIA)?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                  {"url": "lang", "valueCode": "es"},
                  {"url": "content", "valueString": "¿Alguna vez ha tenido un derrame cerebral o un «mini derrame» (AIT)?"}
                ]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/stroke",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/stroke",
                "code": "yes",
                "display": "Yes",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/stroke",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ]
        },
        {
          "linkId": "aneurysm_or_brain_bleed",
          "text": "Have you ever had an aneurysm, an AVM, or bleeding in the brain?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                  {"url": "lang", "valueCode": "es"},
                  {"url": "content", "valueString": "¿Alguna vez ha tenido un aneurisma, una malformación arteriovenosa (MAV) o un sangrado en el cerebro?"}
                ]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/aneurysm_or_brain_bleed",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/aneurysm_or_brain_bleed",
                "code": "yes",
                "display": "Yes",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/aneurysm_or_brain_bleed",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ]
        },
        {
          "linkId": "ketamine_reaction",
          "text": "Have you ever had an allergic or bad reaction to ketamine or esketamine?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                  {"url": "lang", "valueCode": "es"},
                  {"url": "content", "valueString": "¿Alguna vez ha tenido una reacción alérgica u otra mala reacción a la ketamina o a la esketamina?"}
                ]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/ketamine_reaction",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/ketamine_reaction",
                "code": "allergy",
                "display": "Yes, an allergic reaction",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí, una reacción alérgica"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/ketamine_reaction",
                "code": "other_bad_reaction",
                "display": "Yes, another bad reaction",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí, otra mala reacción"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/ketamine_reaction",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ]
        },
        {
          "linkId": "psychosis",
          "text": "Have you ever been diagnosed with schizophrenia or a psychotic disorder?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                  {"url": "lang", "valueCode": "es"},
                  {"url": "content", "valueString": "¿Alguna vez le han diagnosticado esquizofrenia o un trastorno psicótico?"}
                ]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/psychosis",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/psychosis",
                "code": "yes",
                "display": "Yes",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/psychosis",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ]
        },
        {
          "linkId": "mania_current",
          "text": "Do you have bipolar disorder and are you in a \"high\" (manic) phase right now?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                  {"url": "lang", "valueCode": "es"},
                  {"url": "content", "valueString": "¿Tiene trastorno bipolar y está ahora en una fase «alta» (de manía)?"}
                ]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/mania_current",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/mania_current",
                "code": "yes",
                "display": "Yes",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/mania_current",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ]
        },
        {
          "linkId": "substance_use",
          "text": "Have you had trouble controlling your alcohol or drug use?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                  {"url": "lang", "valueCode": "es"},
                  {"url": "content", "valueString": "¿Ha tenido dificultades para controlar su consumo de alcohol o de drogas?"}
                ]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/substance_use",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/substance_use",
                "code": "past",
                "display": "Yes, in the past",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí, en el pasado"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/substance_use",
                "code": "current",
                "display": "Yes, at the moment",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí, actualmente"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/substance_use",
                "code": "ketamine_misuse",
                "display": "I have used ketamine or PCP non-medically",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "He usado ketamina o PCP sin fines médicos"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/substance_use",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ],
          "item": [
            {
              "linkId": "substance_use_hint",
              "text": "This includes any non-medical use of ketamine or PCP.",
              "_text": {
                "extension": [
                  {
                    "url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [
                      {"url": "lang", "valueCode": "es"},
                      {"url": "content", "valueString": "Esto incluye cualquier uso de ketamina o PCP sin fines médicos."}
                    ]
                  }
                ]
              },
              "type": "display"
            }
          ]
        },
        {
          "linkId": "pregnant",
          "text": "Are you pregnant, possibly pregnant, or breastfeeding?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Está embarazada, podría estarlo o está amamantando?"}]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/pregnant",
                "code": "no",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/pregnant",
                "code": "yes",
                "display": "Yes",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/pregnant",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ]
        },
        {
          "linkId": "other_conditions",
          "text": "Do you have any of these other conditions?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Tiene alguno de estos otros problemas de salud?"}]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "repeats": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/other_conditions",
                "code": "liver",
                "display": "Liver disease",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Enfermedad del hígado"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/other_conditions",
                "code": "thyroid_uncontrolled",
                "display": "An overactive thyroid that is not under control",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [
                        {"url": "lang", "valueCode": "es"},
                        {"url": "content", "valueString": "Tiroides hiperactiva (hipertiroidismo) que no está controlada"}
                      ]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/other_conditions",
                "code": "glaucoma",
                "display": "Glaucoma",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Glaucoma"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/other_conditions",
                "code": "head_injury",
                "display": "A serious head injury",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Una lesión grave en la cabeza"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/other_conditions",
                "code": "bladder",
                "display": "Bladder or urinary problems",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Problemas de la vejiga o para orinar"}]
                    }
                  ]
                }
              }
            },
            {
              "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive", "valueBoolean": true}],
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/other_conditions",
                "code": "none",
                "display": "None of these",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Ninguno de estos"}]
                    }
                  ]
                }
              }
            },
            {
              "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive", "valueBoolean": true}],
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/other_conditions",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ],
          "item": [
            {
              "linkId": "other_conditions_hint",
              "text": "Choose all that apply.",
              "_text": {
                "extension": [
                  {
                    "url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Elija todas las opciones que correspondan."}]
                  }
                ]
              },
              "type": "display"
            }
          ]
        },
        {
          "linkId": "medications",
          "text": "Do you take any of these medicines?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Toma alguno de estos medicamentos?"}]
              }
            ]
          },
          "type": "choice",
          "repeats": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/medications",
                "code": "maoi",
                "display": "An MAOI antidepressant (for example phenelzine)",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Un antidepresivo IMAO (por ejemplo, fenelzina)"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/medications",
                "code": "stimulants",
                "display": "Stimulants (for example for ADHD)",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Estimulantes (por ejemplo, para el TDAH)"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/medications",
                "code": "opioids",
                "display": "Opioid pain medicines",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Analgésicos opioides"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/medications",
                "code": "benzodiazepines",
                "display": "Benzodiazepines (for example diazepam)",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Benzodiacepinas (por ejemplo, diazepam)"}]
                    }
                  ]
                }
              }
            },
            {
              "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive", "valueBoolean": true}],
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/medications",
                "code": "none",
                "display": "None of these",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Ninguno de estos"}]
                    }
                  ]
                }
              }
            },
            {
              "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive", "valueBoolean": true}],
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/medications",
                "code": "unsure",
                "display": "I'm not sure",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No estoy seguro(a)"}]
                    }
                  ]
                }
              }
            }
          ],
          "item": [
            {
              "linkId": "medications_hint",
              "text": "Choose all that apply.",
              "_text": {
                "extension": [
                  {
                    "url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Elija todas las opciones que correspondan."}]
                  }
                ]
              },
              "type": "display"
            }
          ]
        },
        {
          "linkId": "self_harm",
          "text": "In the last two weeks, have you had thoughts that you would be better off dead, or of hurting yourself?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                  {"url": "lang", "valueCode": "es"},
                  {"url": "content", "valueString": "En las últimas dos semanas, ¿ha tenido pensamientos de que estaría mejor muerto(a) o de hacerse daño?"}
                ]
              }
            ]
          },
          "type": "choice",
          "required": true,
          "answerOption": [
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/self_harm",
                "code": "none",
                "display": "No",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "No"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/self_harm",
                "code": "passive",
                "display": "Yes, thoughts that I would be better off dead",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí, pensamientos de que estaría mejor muerto(a)"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/self_harm",
                "code": "active",
                "display": "Yes, thoughts of ending my life",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Sí, pensamientos de quitarme la vida"}]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/self_harm",
                "code": "intent_or_plan",
                "display": "Yes, and I have thought about how, or I intend to act on them",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [
                        {"url": "lang", "valueCode": "es"},
                        {"url": "content", "valueString": "Sí, y he pensado en cómo hacerlo, o tengo la intención de hacerlo"}
                      ]
                    }
                  ]
                }
              }
            },
            {
              "valueCoding": {
                "system": "https://github.com/clinic/intake/fhir/CodeSystem/self_harm",
                "code": "unsure",
                "display": "I'd rather talk about it",
                "_display": {
                  "extension": [
                    {
                      "url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Prefiero hablarlo con alguien"}]
                    }
                  ]
                }
              }
            }
          ],
          "item": [
            {
              "linkId": "self_harm_hint",
              "text": "There is no wrong answer. It helps us make sure you get the right support.",
              "_text": {
                "extension": [
                  {
                    "url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [
                      {"url": "lang", "valueCode": "es"},
                      {"url": "content", "valueString": "No hay respuestas incorrectas. Nos ayuda a asegurarnos de que reciba el apoyo adecuado."}
                    ]
                  }
                ]
              },
              "type": "display"
            }
          ]
        }
      ]
    },
    {
      "linkId": "anything_else",
      "text": "Anything else",
      "_text": {
        "extension": [
          {"url": "http://hl7.org/fhir/StructureDefinition/translation", "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Algo más"}]}
        ]
      },
      "type": "group",
      "item": [
        {
          "linkId": "message",
          "text": "Anything else you would like us to know?",
          "_text": {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Hay algo más que quiera contarnos?"}]
              }
            ]
          },
          "type": "text",
          "maxLength": 5000
        }
      ]
    }
  ]
}
$form$::text AS q, $form${
  "version": "default-2026.11-1",
  "rules": [
    {
      "code": "hypertension_uncontrolled",
      "level": "review",
      "reason": "Reports high blood pressure that is not under control.",
      "source": "Clinic article; Spravato label (blood pressure warning)",
      "any": [
        {"field": "hypertension", "values": ["uncontrolled"]}
      ]
    },
    {
      "code": "hypertension_unsure",
      "level": "review",
      "reason": "Answered \"not sure\" to the question about high blood pressure.",
      "source": "Clinic article; Spravato label (blood pressure warning)",
      "any": [
        {"field": "hypertension", "values": ["unsure"]}
      ]
    },
    {
      "code": "bp_elevated",
      "level": "review",
      "reason": "Most recent blood-pressure reading is 140/90 or higher.",
      "source": "Spravato label (\"as a general guide >140/90\"); AHA/ACC stage 2 hypertension",
      "any": [
        {"field": "bp_systolic", "at_least": 140},
        {"field": "bp_diastolic", "at_least": 90}
      ]
    },
    {
      "code": "bp_high",
      "level": "hold",
      "reason": "Most recent blood-pressure reading is 160/100 or higher: it needs to be under control before treatment.",
      "source": "Clinic practice: blood pressure controlled before treatment",
      "any": [
        {"field": "bp_systolic", "at_least": 160},
        {"field": "bp_diastolic", "at_least": 100}
      ]
    },
    {
      "code": "bp_crisis",
      "level": "urgent",
      "reason": "Most recent blood-pressure reading is in the crisis range (above 180/120). The patient was told to re-check it and seek care now.",
      "source": "AHA/ACC hypertensive crisis",
      "any": [
        {"field": "bp_systolic", "above": 180},
        {"field": "bp_diastolic", "above": 120}
      ]
    },
    {
      "code": "heart_attack_recent",
      "level": "hold",
      "reason": "Reports a heart attack in the last 12 months.",
      "source": "Clinic article; Spravato phase-3 exclusions; UK ketamine label",
      "any": [
        {"field": "heart_conditions", "values": ["heart_attack_recent"]}
      ]
    },
    {
      "code": "heart_chest_pain",
      "level": "hold",
      "reason": "Reports new chest pain.",
      "source": "Clinic article; Spravato phase-3 exclusions; UK ketamine label",
      "any": [
        {"field": "heart_conditions", "values": ["chest_pain"]}
      ]
    },
    {
      "code": "heart_stent_or_bypass_recent",
      "level": "hold",
      "reason": "Reports a stent or bypass surgery in the last 12 months.",
      "source": "Clinic article; Spravato phase-3 exclusions; UK ketamine label",
      "any": [
        {"field": "heart_conditions", "values": ["stent_or_bypass_recent"]}
      ]
    },
    {
      "code": "heart_failure",
      "level": "review",
      "reason": "Reports heart failure.",
      "source": "Clinic article; Spravato phase-3 exclusions; UK ketamine label",
      "any": [
        {"field": "heart_conditions", "values": ["heart_failure"]}
      ]
    },
    {
      "code": "heart_arrhythmia",
      "level": "review",
      "reason": "Reports an irregular heartbeat.",
      "source": "Clinic article; Spravato phase-3 exclusions; UK ketamine label",
      "any": [
        {"field": "heart_conditions", "values": ["arrhythmia"]}
      ]
    },
    {
      "code": "heart_other",
      "level": "review",
      "reason": "Reports another heart condition.",
      "source": "Clinic article; Spravato phase-3 exclusions; UK ketamine label",
      "any": [
        {"field": "heart_conditions", "values": ["other"]}
      ]
    },
    {
      "code": "stroke_or_tia",
      "level": "hold",
      "reason": "Reports a stroke or mini-stroke (TIA) at some time.",
      "source": "Spravato phase-3 exclusions",
      "any": [
        {"field": "stroke", "values": ["yes"]}
      ]
    },
    {
      "code": "aneurysm_or_brain_bleed",
      "level": "hold",
      "reason": "Reports an aneurysm, an AVM or bleeding in the brain.",
      "source": "Spravato label contraindications",
      "any": [
        {"field": "aneurysm_or_brain_bleed", "values": ["yes"]}
      ]
    },
    {
      "code": "ketamine_allergy",
      "level": "hold",
      "reason": "Reports an allergic reaction to ketamine or esketamine.",
      "source": "Spravato and Ketalar labels",
      "any": [
        {"field": "ketamine_reaction", "values": ["allergy"]}
      ]
    },
    {
      "code": "ketamine_bad_reaction",
      "level": "review",
      "reason": "Reports a bad reaction (not an allergy) to ketamine or esketamine.",
      "source": "Spravato and Ketalar labels",
      "any": [
        {"field": "ketamine_reaction", "values": ["other_bad_reaction"]}
      ]
    },
    {
      "code": "psychosis",
      "level": "hold",
      "reason": "Reports a diagnosis of schizophrenia or a psychotic disorder.",
      "source": "Spravato label 5.2",
      "any": [
        {"field": "psychosis", "values": ["yes"]}
      ]
    },
    {
      "code": "mania_current",
      "level": "hold",
      "reason": "Reports bipolar disorder and being in a high (manic) phase now.",
      "source": "Clinic exclusion criteria",
      "any": [
        {"field": "mania_current", "values": ["yes"]}
      ]
    },
    {
      "code": "substance_current",
      "level": "hold",
      "reason": "Reports current trouble controlling alcohol or drug use.",
      "source": "Spravato label 9.2",
      "any": [
        {"field": "substance_use", "values": ["current"]}
      ]
    },
    {
      "code": "ketamine_misuse",
      "level": "hold",
      "reason": "Reports non-medical use of ketamine or PCP.",
      "source": "Spravato label 9.2",
      "any": [
        {"field": "substance_use", "values": ["ketamine_misuse"]}
      ]
    },
    {
      "code": "substance_past",
      "level": "review",
      "reason": "Reports past trouble controlling alcohol or drug use.",
      "source": "Spravato label 9.2",
      "any": [
        {"field": "substance_use", "values": ["past"]}
      ]
    },
    {
      "code": "pregnant_or_breastfeeding",
      "level": "hold",
      "reason": "Pregnant, possibly pregnant, or breastfeeding.",
      "source": "Spravato label 8.1, 8.2",
      "any": [
        {"field": "pregnant", "values": ["yes"]}
      ]
    },
    {
      "code": "condition_liver",
      "level": "review",
      "reason": "Reports a liver condition.",
      "source": "Spravato warnings; phase-3 exclusions",
      "any": [
        {"field": "other_conditions", "values": ["liver"]}
      ]
    },
    {
      "code": "condition_thyroid_uncontrolled",
      "level": "review",
      "reason": "Reports a thyroid condition that is not under control.",
      "source": "Spravato warnings; phase-3 exclusions",
      "any": [
        {"field": "other_conditions", "values": ["thyroid_uncontrolled"]}
      ]
    },
    {
      "code": "condition_glaucoma",
      "level": "review",
      "reason": "Reports glaucoma.",
      "source": "Spravato warnings; phase-3 exclusions",
      "any": [
        {"field": "other_conditions", "values": ["glaucoma"]}
      ]
    },
    {
      "code": "condition_head_injury",
      "level": "review",
      "reason": "Reports a head injury.",
      "source": "Spravato warnings; phase-3 exclusions",
      "any": [
        {"field": "other_conditions", "values": ["head_injury"]}
      ]
    },
    {
      "code": "condition_bladder",
      "level": "review",
      "reason": "Reports a bladder condition.",
      "source": "Spravato warnings; phase-3 exclusions",
      "any": [
        {"field": "other_conditions", "values": ["bladder"]}
      ]
    },
    {
      "code": "medication_maoi",
      "level": "review",
      "reason": "Takes an MAOI antidepressant.",
      "source": "Spravato drug interactions",
      "any": [
        {"field": "medications", "values": ["maoi"]}
      ]
    },
    {
      "code": "medication_stimulants",
      "level": "review",
      "reason": "Takes a stimulant medicine.",
      "source": "Spravato drug interactions",
      "any": [
        {"field": "medications", "values": ["stimulants"]}
      ]
    },
    {
      "code": "medication_opioids",
      "level": "review",
      "reason": "Takes an opioid medicine.",
      "source": "Spravato drug interactions",
      "any": [
        {"field": "medications", "values": ["opioids"]}
      ]
    },
    {
      "code": "medication_benzodiazepines",
      "level": "review",
      "reason": "Takes a benzodiazepine.",
      "source": "Spravato drug interactions",
      "any": [
        {"field": "medications", "values": ["benzodiazepines"]}
      ]
    },
    {
      "code": "self_harm_intent",
      "level": "urgent",
      "reason": "Reports thoughts of ending their life or of self-harm, with a plan or intent to act, in the last two weeks. Crisis resources were shown.",
      "source": "PHQ-9 item 9; Columbia triage guidance",
      "any": [
        {"field": "self_harm", "values": ["intent_or_plan"]}
      ]
    },
    {
      "code": "self_harm_active",
      "level": "review",
      "reason": "Reports thoughts of hurting themselves in the last two weeks, without a plan or intent.",
      "source": "PHQ-9 item 9; Columbia triage guidance",
      "any": [
        {"field": "self_harm", "values": ["active"]}
      ]
    },
    {
      "code": "self_harm_passive",
      "level": "review",
      "reason": "Reports thoughts of being better off dead in the last two weeks.",
      "source": "PHQ-9 item 9; Columbia triage guidance",
      "any": [
        {"field": "self_harm", "values": ["passive"]}
      ]
    },
    {
      "code": "under_18",
      "level": "hold",
      "reason": "Says they are under 18.",
      "source": "Esketamine not approved under 18",
      "any": [
        {"field": "adult", "values": ["no"]}
      ]
    }
  ]
}
$form$::text AS r) AS files;
-- +goose StatementEnd
SELECT setval('form_version_id_seq', 1);

-- Every enquiry keeps the form version it was answered with. Those stored
-- before were answered with version 1; new ones name theirs (no default, so
-- an insert that forgets it fails rather than mislabel the wording).
ALTER TABLE enquiry ADD COLUMN form_version_id bigint NOT NULL DEFAULT 1 REFERENCES form_version (id);
ALTER TABLE enquiry ALTER COLUMN form_version_id DROP DEFAULT;
