package seal

import (
	"encoding/binary"
	"strconv"
)

// An enquiry's sealed answers are bound (as AES-GCM associated data) to the
// clear columns beside them, so that a change to those columns in the
// database, or a swap of sealed values between rows, makes the row fail to
// open instead of showing staff one person's answers under another's
// reference or triage. The enquiry table's seal_version says which binding a
// row was sealed with. Notes and two-factor secrets are bound to their
// enquiry and account the same way.

// EnquiryVersion is the binding enquiries are sealed with:
//
//	1: the submission_id only (rows written before migration 00075; still
//	   read, and re-sealed at 2 by `intake rotate-key`);
//	2: submission_id, reference, triage, crisis and rules_version.
const EnquiryVersion = 2

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

// NoteAAD binds a staff note to its enquiry.
func NoteAAD(reference string) []byte { return []byte("note:" + reference) }

// TOTPAAD binds a two-factor secret to its account.
func TOTPAAD(userID int64) []byte { return []byte("totp:" + strconv.FormatInt(userID, 10)) }

// ContactNoteAAD binds the note of a contact attempt to its enquiry.
func ContactNoteAAD(reference string) []byte { return []byte("contact:" + reference) }

// FlagAAD binds a flag tally row's sealed code and reason to the keyed hash
// it is counted under (Box.FlagHash).
func FlagAAD(hash []byte) []byte { return append([]byte("flag:"), hash...) }

// CardAAD binds an enquiry's queue card (first name, preferred contact) to
// its enquiry.
func CardAAD(reference string) []byte { return []byte("card:" + reference) }
