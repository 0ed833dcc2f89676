package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"
)

// onViewKey handles the keys of the grouping, chart, sheet and export
// features before the explorer's own; it reports whether it took the key.
func (m Model) onViewKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k := m.ctx.Keys
	switch m.q.view {
	case viewList:
		switch {
		case key.Matches(msg, k.Open) && len(m.list.sources) > 0:
			return m, m.openDataset(&m.list.sources[m.list.cursor]), true
		case key.Matches(msg, k.PrevSheet, k.NextSheet, k.Sheets):
			return m.onSheetKey(msg)
		}
		return m, nil, false
	case viewSheets:
		return m.onSheetListKey(msg)
	}
	switch {
	case key.Matches(msg, k.PrevSheet, k.NextSheet, k.Sheets):
		return m.onSheetKey(msg)
	case m.q.view == viewTable && key.Matches(msg, k.Back):
		return m, m.leaveTable(), true
	case key.Matches(msg, k.Values):
		return m.toggleFreq()
	case key.Matches(msg, k.FreqColumns):
		return m.ask(promptFreqColumns, "frequency over columns (a, b, …): ", m.cursorColumn()+", ", false)
	case key.Matches(msg, k.GroupBy):
		col := m.cursorColumn()
		return m.ask(promptGroupKey, fmt.Sprintf("aggregate %s, grouped by column: ", Sanitize(col)), m.groupGuess(col), false)
	case key.Matches(msg, k.Line):
		col := m.cursorColumn()
		return m.ask(promptLineX, fmt.Sprintf("line of %s over (a date or number column; empty: row number): ", Sanitize(col)), firstDateColumn(m.ctx.page), true)
	case key.Matches(msg, k.Scatter):
		col := m.cursorColumn()
		others := numericColumns(m.shownNames(), m.isNumeric, col)
		first := ""
		if len(others) > 0 {
			first = others[0]
		}
		return m.ask(promptScatterX, fmt.Sprintf("scatter of %s against number column: ", Sanitize(col)), first, true)
	case key.Matches(msg, k.Export):
		if m.remote {
			m.notice = "export to a file is off in hitmiss serve: the server's files are not yours to write"
			return m, nil, true
		}
		if !m.ctx.page.ready(m.q) {
			m.waitNotice("export")
			return m, nil, true
		}
		base := strings.TrimSuffix(filepath.Base(m.q.source.Name()), filepath.Ext(m.q.source.Name()))
		m.prompt.open(promptExport, "export view to (.csv .tsv .jsonl): ", base+"-view.csv")
		return m, nil, true
	case m.q.view == viewHisto && key.Matches(msg, k.MoreBins, k.FewerBins):
		n := nextBins(m.q.views.binCount(), key.Matches(msg, k.MoreBins))
		m.q.views.bins = n
		m.histo.scroller = scroller{}
		m.notice = fmt.Sprintf("histogram of %s in %s (+ more, - fewer)", Sanitize(m.q.column), plural(n, "bin"))
		return m, m.rerun.start(m.q), true
	case key.Matches(msg, k.Open) && (m.q.view == viewValues || m.q.view == viewGroup):
		return m.openGroup()
	}
	return m, nil, false
}

// binSteps are the bin counts + and - step through: a ladder, so that - then
// + comes back to where it was (20 → 15 → 20). The last bounds the bins:
// more than a screen holds is a list of ones.
var binSteps = []int{1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500}

// nextBins is the step after n on the ladder (more) or before it (fewer).
func nextBins(n int, more bool) int {
	if more {
		for _, s := range binSteps {
			if s > n {
				return s
			}
		}
		return binSteps[len(binSteps)-1]
	}
	for i := len(binSteps) - 1; i >= 0; i-- {
		if binSteps[i] < n {
			return binSteps[i]
		}
	}
	return binSteps[0]
}

// ask opens a prompt about the cursor column; numeric prompts refuse a
// text column at once.
func (m Model) ask(kind promptKind, label, value string, numeric bool) (tea.Model, tea.Cmd, bool) {
	col := m.cursorColumn()
	if col == "" {
		m.notice = "wait until the dataset has loaded"
		return m, nil, true
	}
	if numeric && !m.isNumeric(col) {
		m.notice = fmt.Sprintf("%s is text: a chart needs a numeric column (try v for its frequency)", Sanitize(col))
		return m, nil, true
	}
	m.askColumn = col
	m.prompt.open(kind, label, value)
	return m, nil, true
}

// shownNames are the columns of the frame the table shows: the page's,
// or the preview's while the file loads (the preview has the header).
func (m Model) shownNames() []string {
	df, _, _ := m.table.shown()
	return df.Names()
}

func (m Model) isNumeric(name string) bool {
	t := m.columnType(name)
	return t == series.Int || t == series.Float || t == series.Bool
}

// groupGuess is A's guess at the column to group by: the text column
// (other than skip) with the fewest distinct values, more than one.
func (m Model) groupGuess(skip string) string {
	p := m.ctx.page
	if p.model == nil {
		return ""
	}
	best, fewest := "", 0
	for _, c := range p.model.Columns {
		if c.Name != skip && c.Type == series.String && c.Distinct > 1 && (best == "" || c.Distinct < fewest) {
			best, fewest = c.Name, c.Distinct
		}
	}
	return best
}

// toggleFreq is v: the frequency table of the cursor column, or back.
func (m Model) toggleFreq() (tea.Model, tea.Cmd, bool) {
	if m.q.view == viewValues {
		m.q.view = viewTable
		return m, m.rerun.start(m.q), true
	}
	col := m.cursorColumn()
	if col == "" {
		return m, nil, true
	}
	m.showFreq([]string{col})
	return m, m.rerun.start(m.q), true
}

func (m *Model) showFreq(cols []string) {
	m.q.view, m.q.column, m.q.views.freqCols = viewValues, cols[0], cols
	m.freq.scroller = scroller{}
}

// onViewPrompt applies what was typed at a V, A, L, P or e prompt.
func (m Model) onViewPrompt(kind promptKind, value string) (tea.Model, tea.Cmd) {
	if kind == promptExport {
		return m, m.startExport(value)
	}
	names := m.shownNames()
	known := func(c string) bool {
		if !slices.Contains(names, c) {
			m.notice = fmt.Sprintf("no column %q (columns: %s)", Sanitize(c), Sanitize(strings.Join(names, ", ")))
			return false
		}
		return true
	}
	value = strings.TrimSpace(value)
	switch kind {
	case promptFreqColumns:
		var cols []string
		for _, c := range strings.Split(value, ",") {
			if c = strings.TrimSpace(c); c != "" && !slices.Contains(cols, c) {
				if !known(c) {
					return m, nil
				}
				cols = append(cols, c)
			}
		}
		if len(cols) == 0 {
			m.notice = "frequency: no column given"
			return m, nil
		}
		m.showFreq(cols)
	case promptGroupKey:
		if !known(value) {
			return m, nil
		}
		m.q.view, m.q.column, m.q.views.groupKey = viewGroup, m.askColumn, value
		m.group.scroller = scroller{}
	case promptLineX:
		if value != "" && !known(value) {
			return m, nil
		}
		m.q.view, m.q.column, m.q.views.xColumn = viewLine, m.askColumn, value
		m.fitChart()
	case promptScatterX:
		if !known(value) {
			return m, nil
		}
		if !m.isNumeric(value) {
			m.notice = fmt.Sprintf("%s is text: a scatter needs two numeric columns", Sanitize(value))
			return m, nil
		}
		m.q.view, m.q.column, m.q.views.xColumn = viewScatter, m.askColumn, value
		m.fitChart()
	}
	return m, m.rerun.start(m.q)
}

// onConfirmKey answers the y/n question before replacing a file.
func (m Model) onConfirmKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.ctx.Keys
	job := m.pendingExport
	switch {
	case key.Matches(msg, k.ForceQuit):
		return m.quit()
	case key.Matches(msg, k.Yes):
		m.prompt.close()
		m.pendingExport = nil
		job.overwrite = true
		return m, m.runExport(job)
	case key.Matches(msg, k.No):
		m.prompt.close()
		m.pendingExport = nil
		m.notice = fmt.Sprintf("not exported: %s is left as it was", Sanitize(job.path))
	}
	return m, nil
}

// fitChart sizes the chart's dots to the main area: the cached steps
// reduce the rows to this many.
func (m *Model) fitChart() {
	m.q.views.dotsW, m.q.views.dotsH = chartDots(m.lay.mainW, m.lay.mainH)
}

// openGroup is enter on a frequency or group-by line: a sheet of the
// group's rows, its filter in the filter language (so the title and f
// show it).
func (m Model) openGroup() (tea.Model, tea.Cmd, bool) {
	p := m.ctx.page
	if !p.ready(m.q) || p.query.view != m.q.view {
		return m, nil, true
	}
	var expr string
	var err error
	if m.q.view == viewValues {
		if p.views.freq.Len() == 0 {
			return m, nil, true
		}
		expr, err = groupFilter(p, min(m.freq.cursor, p.views.freq.Len()-1))
	} else {
		if groupCount(p) == 0 {
			return m, nil, true
		}
		expr, err = groupByFilter(p, min(m.group.cursor, groupCount(p)-1))
	}
	if err != nil {
		m.notice = Sanitize(err.Error())
		return m, nil, true
	}
	return m, m.openGroupSheet(expr), true
}

// onSheetKey is [, ] and b.
func (m Model) onSheetKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k := m.ctx.Keys
	switch {
	case key.Matches(msg, k.PrevSheet):
		return m, m.cycleSheet(-1), true
	case key.Matches(msg, k.NextSheet):
		return m, m.cycleSheet(1), true
	}
	m.saveSheet()
	m.sheets.back = m.q.view
	m.q.view = viewSheets
	m.sheetList.cursor = max(m.sheets.cur, 0)
	return m, nil, true
}

// onSheetListKey routes keys on the b screen.
func (m Model) onSheetListKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k := m.ctx.Keys
	switch {
	case key.Matches(msg, k.Open) && len(m.sheets.list) > 0:
		return m, m.showSheet(min(m.sheetList.cursor, len(m.sheets.list)-1)), true
	case key.Matches(msg, k.Back, k.Sheets):
		m.q.view = m.sheets.back
		return m, m.rerun.start(m.q), true
	case key.Matches(msg, k.PrevSheet, k.NextSheet):
		m.q.view = m.sheets.back
		return m.onSheetKey(msg)
	}
	m.sheetList.Update(msg)
	return m, nil, true
}
