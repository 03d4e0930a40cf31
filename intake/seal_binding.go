package intake

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// An enquiry's sealed answers are bound (as AES-GCM associated data) to the
// clear columns beside them, so that a change to those columns in the
// database, or a swap of sealed values between rows, makes the row fail to
// open instead of showing staff one person's answers under another's
// reference or triage. The enquiry table's seal_version says which binding a
// row was sealed with.

// SealVersion is the binding the store seals enquiries with:
//
//	1: the submission_id only (rows written before migration 00075; still
//	   read, and re-sealed at 2 by `intake rotate-key`);
//	2: submission_id, reference, triage, crisis and rules_version.
const SealVersion = 2

// EnquiryBinding is what an enquiry's sealed answers are bound to: its
// columns in clear.
type EnquiryBinding struct {
	SubmissionID string
	Reference    string
	Triage       string
	Crisis       bool
	RulesVersion string
}

// AAD returns the associated data for the binding under version v (1 or 2).
// Each field is length-prefixed, so no two bindings share an encoding.
func (b EnquiryBinding) AAD(v int) []byte {
	if v < 2 {
		return []byte(b.SubmissionID)
	}
	out := []byte("intake enquiry v2")
	for _, f := range []string{b.SubmissionID, b.Reference, b.Triage, strconv.FormatBool(b.Crisis), b.RulesVersion} {
		out = binary.BigEndian.AppendUint32(out, uint32(len(f)))
		out = append(out, f...)
	}
	return out
}

func (row enquiryRow) binding() EnquiryBinding {
	return EnquiryBinding{SubmissionID: row.SubmissionID, Reference: row.Reference, Triage: row.Triage,
		Crisis: row.Crisis, RulesVersion: row.RulesVersion}
}

// agreesWith checks a row sealed the old way, whose triage and crisis
// columns the seal does not cover, against what they were computed from
// (the sealed answers and flags): triage is the highest flag, crisis the
// self-harm answer. A row that disagrees was changed outside the service.
func (se sealedEnquiry) agreesWith(row enquiryRow) error {
	triage := Routine
	for _, f := range se.Flags {
		triage = max(triage, f.Level)
	}
	crisis := se.Enquiry.SelfHarm == "active" || se.Enquiry.SelfHarm == "intent_or_plan"
	if row.Triage != triage.String() || row.Crisis != crisis {
		return fmt.Errorf("triage or crisis disagrees with the sealed answers: %w", ErrTampered)
	}
	return nil
}
