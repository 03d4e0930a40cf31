package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// An enquiry's card is what the queue shows of the person: the first name
// and the preferred contact method. It is sealed on its own, bound to the
// reference, so that listing a page of the queue decrypts those two values
// and nothing of the answers, flags or message sealed with the enquiry.

// card is the plaintext of enquiry_card.sealed.
type card struct {
	FirstName        string               `json:"n"`
	PreferredContact intake.ContactMethod `json:"c"`
}

// sealedCard is a card as stored.
type sealedCard struct {
	KeyID  string
	Sealed []byte
}

// cardOfSealed is the card of an enquiry read whole (one stored before
// cards existed): its contact block, which needs no form version.
func cardOfSealed(se sealedEnquiry) (card, error) {
	e, err := se.contact()
	if err != nil {
		return card{}, err
	}
	return cardOf(e), nil
}

func cardOf(e intake.Enquiry) card {
	m, _ := intake.ParseContactMethod(e.PreferredContact)
	return card{FirstName: intake.FirstName(e.Name), PreferredContact: m}
}

// sealCard seals the card of enquiry e stored under reference.
func (s *Store) sealCard(reference string, e intake.Enquiry) (sealedCard, error) {
	return s.sealCardOf(reference, cardOf(e))
}

// sealCardOf seals card c of the enquiry stored under reference.
func (s *Store) sealCardOf(reference string, c card) (sealedCard, error) {
	plain, err := json.Marshal(c)
	if err != nil {
		return sealedCard{}, fmt.Errorf("encode card: %w", err)
	}
	sealed, keyID, err := s.box.Seal(plain, seal.CardAAD(reference))
	if err != nil {
		return sealedCard{}, fmt.Errorf("seal card: %w", err)
	}
	return sealedCard{KeyID: keyID, Sealed: sealed}, nil
}

// openCard decrypts the card of the enquiry with reference.
func (s *Store) openCard(reference, keyID string, sealed []byte) (card, error) {
	plain, err := s.box.Open(sealed, keyID, seal.CardAAD(reference))
	if err != nil {
		return card{}, fmt.Errorf("card of %s: %w", reference, err)
	}
	var c card
	if err := json.Unmarshal(plain, &c); err != nil {
		return card{}, fmt.Errorf("card of %s: decode: %w", reference, err)
	}
	return c, nil
}

// fillCards sets the first name and preferred contact of each queue item
// from its card; an item whose card cannot be opened is marked Unreadable
// rather than failing the page. Enquiries stored before cards existed have none: their
// whole record is opened instead, in memory, and only the card's two values
// kept (`intake rotate-key` writes their cards).
func (s *Store) fillCards(ctx context.Context, q sqlx.QueryerContext, items []intake.QueueItem, cards map[int64]sealedCard) error {
	var missing []int64
	for i := range items {
		it := &items[i]
		sc, ok := cards[it.ID]
		if !ok {
			missing = append(missing, it.ID)
			continue
		}
		c, err := s.openCard(it.Reference, sc.KeyID, sc.Sealed)
		it.FirstName, it.PreferredContact, it.Unreadable = c.FirstName, c.PreferredContact, err != nil
	}
	if len(missing) == 0 {
		return nil
	}
	var rows []enquiryRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT `+enquiryColumns+` FROM enquiry e WHERE e.id = ANY($1)`, pq.Array(missing)); err != nil {
		return scrub("load enquiries without a card", err)
	}
	byID := map[int64]card{}
	for _, row := range rows {
		se, _, err := s.open(row)
		if err != nil {
			continue
		}
		if c, err := cardOfSealed(se); err == nil {
			byID[row.ID] = c
		}
	}
	for i := range items {
		if slices.Contains(missing, items[i].ID) {
			c, ok := byID[items[i].ID]
			items[i].FirstName, items[i].PreferredContact, items[i].Unreadable = c.FirstName, c.PreferredContact, !ok
		}
	}
	return nil
}
