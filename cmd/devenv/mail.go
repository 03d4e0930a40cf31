package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// mailAddress, mailSummary and mailMessage hold the parts of Mailpit's API
// answers that `devenv mail` prints.
type mailAddress struct {
	Name    string
	Address string
}

func (a mailAddress) String() string {
	if a.Name == "" {
		return a.Address
	}
	return fmt.Sprintf("%s <%s>", a.Name, a.Address)
}

type mailSummary struct {
	ID string
}

type mailMessage struct {
	From    *mailAddress
	To      []mailAddress
	Cc      []mailAddress
	Subject string
	Date    time.Time
	Text    string
	HTML    string
}

// printMail prints the latest n messages, oldest first so the newest ends
// up next to the prompt.
func printMail(ctx context.Context, w io.Writer, api string, n int) error {
	var list struct {
		Total    int `json:"total"`
		Messages []mailSummary
	}
	if err := getJSON(ctx, api+"/api/v1/messages?limit="+fmt.Sprint(n), &list); err != nil {
		return fmt.Errorf("%w\nIs Mailpit running? `make run` starts it (or: go run ./cmd/devenv mailpit)", err)
	}
	if len(list.Messages) == 0 {
		fmt.Fprintf(w, "No messages in Mailpit (%s) yet.\n", api)
		return nil
	}
	rule := strings.Repeat("=", 72)
	fmt.Fprintf(w, "%d of %d messages in Mailpit (%s), oldest first:\n", len(list.Messages), list.Total, api)
	for i := len(list.Messages) - 1; i >= 0; i-- {
		var m mailMessage
		if err := getJSON(ctx, api+"/api/v1/message/"+url.PathEscape(list.Messages[i].ID), &m); err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%s\n", rule)
		fmt.Fprintf(w, "Date:    %s\n", m.Date.Local().Format("Mon 2 Jan 2006 15:04:05 MST"))
		if m.From != nil {
			fmt.Fprintf(w, "From:    %s\n", m.From)
		}
		fmt.Fprintf(w, "To:      %s\n", joinAddresses(m.To))
		if len(m.Cc) > 0 {
			fmt.Fprintf(w, "Cc:      %s\n", joinAddresses(m.Cc))
		}
		fmt.Fprintf(w, "Subject: %s\n", m.Subject)
		fmt.Fprintf(w, "%s\n\n", strings.Repeat("-", 72))
		body := strings.TrimSpace(m.Text)
		if body == "" && m.HTML != "" {
			body = "(HTML only; tags removed)\n" + htmlToText(m.HTML)
		}
		if body == "" {
			body = "(empty body)"
		}
		fmt.Fprintln(w, body)
	}
	fmt.Fprintf(w, "\n%s\n", rule)
	return nil
}

func joinAddresses(as []mailAddress) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

var (
	htmlDropped = regexp.MustCompile(`(?is)<(head|style|script)\b.*?</(head|style|script)>`)
	htmlBreaks  = regexp.MustCompile(`(?i)<(br|/p|/div|/tr|/h[1-6]|/li)\b[^>]*>`)
	htmlTags    = regexp.MustCompile(`<[^>]*>`)
	blankLines  = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+`)
)

// htmlToText is a rough reading of an HTML body for a terminal.
func htmlToText(s string) string {
	s = htmlDropped.ReplaceAllString(s, "")
	s = htmlBreaks.ReplaceAllString(s, "\n")
	s = htmlTags.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = blankLines.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

func getJSON(ctx context.Context, u string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err // names the method and URL already
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(b)))
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: decode: %w", u, err)
	}
	return nil
}
