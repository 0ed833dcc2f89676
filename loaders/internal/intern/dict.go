package intern

// Dict numbers the distinct byte strings it is given, 0, 1, 2, … in order
// of first appearance, for a reader that holds a column of repeating text
// as codes: Values[id] is the text of id, packed into shared blocks. A
// value of under 8 bytes (an airport, a state) is answered by a table
// keyed by its bytes as a number (packShort), the rest by a map.
type Dict struct {
	ids    map[string]uint32
	short  [shortSlots]shortID
	Values []string
	// Cells counts the lookups: with len(Values), how much the column
	// repeats.
	Cells int
	store Store
}

// shortID is a short value's key (packShort) and its id plus one (0: an
// empty slot).
type shortID struct {
	key uint64
	id  uint32
}

// ID returns b's number, giving it the next one the first time.
func (d *Dict) ID(b []byte) uint32 {
	d.Cells++
	var slot *shortID
	if len(b) > 0 && len(b) < 8 {
		k := packShort(b)
		slot = &d.short[(k*0x9E3779B97F4A7C15)>>(64-8)]
		if slot.key == k && slot.id != 0 {
			return slot.id - 1
		}
	}
	if d.ids == nil {
		d.ids = map[string]uint32{}
	}
	id, ok := d.ids[string(b)]
	if !ok {
		v := d.store.Copy(b)
		id = uint32(len(d.Values))
		d.ids[v] = id
		d.Values = append(d.Values, v)
	}
	if slot != nil {
		*slot = shortID{key: packShort(b), id: id + 1}
	}
	return id
}

// Len is the number of distinct values numbered.
func (d *Dict) Len() int { return len(d.Values) }
