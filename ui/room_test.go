package ui

import (
	"strings"
	"testing"
)

// TestRoomNotesReachOtherScreensSanitised: whatever a session's note
// carries (its text and notice hold names, filters and columns a client
// typed), the other sessions receive no control character of it.
func TestRoomNotesReachOtherScreensSanitised(t *testing.T) {
	room := NewRoom(0)
	a, err := room.Join("a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := room.Join("b")
	if err != nil {
		t.Fatal(err)
	}
	<-a.inbox // b joined
	evil := "\x1b]0;pwned\x07\x1b[2J\nforged line"
	b.tell(roomNote{text: "filtered " + evil, notice: "b filtered " + evil})
	room.Announce(evil, evil)
	for range 2 {
		note := <-a.inbox
		for _, s := range []string{note.from, note.text, note.notice} {
			if strings.ContainsAny(s, "\x1b\x07\n") {
				t.Fatalf("a note reached another session raw: %q", s)
			}
		}
	}
}
