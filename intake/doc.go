// Package intake is the domain of the clinic's enquiry intake: the enquiry a
// prospective patient submits (Enquiry), its validation (Validator), the
// screening rules that triage it (RuleSet, Level), the domain's errors, the
// policies the store applies (sign-in throttling, confirmation caps,
// escalation, retention) as plain functions, and the services that the HTTP
// layer and the mail workers use (services.go), each saying which errors it
// returns.
//
// It may import the standard library, validator, golang.org/x/text and
// intake/questionnaire only: no database, job queue, HTTP or crypto
// library. The packages beside it do the rest and import it: intake/postgres
// (the store), intake/seal (every use of a key), intake/auth (passwords and
// TOTP), intake/jobs (the job queue); intake/mock holds fakes of the
// services for tests. layers_test.go checks these rules.
package intake
