package report

// Disclosure control.
//
// Primary suppression hides every count from 1 to k-1: a group that
// small can point at a person. Zeros stay, as they describe nobody,
// except beside hidden counts in a sum whose shown parts are all zero:
// there they would tell which value the hidden interviews have (a small
// site's column reading "Male 0, Female <11" says everyone there is a
// woman), so they are hidden too.
//
// Secondary suppression hides more counts so that no hidden one can be
// worked out from the others and the totals. A table's counts and its
// totals are tied by sums: each value's cells add up to its overall count
// (the groups share out the interviews), and for a dimension where each
// interview has exactly one value, each group's cells add up to the
// group's interviews. Two rules run to a fixed point over every sum:
//
//   - a sum with exactly one hidden term (a part or the total) gives it
//     away: hide another;
//   - a sum whose total is shown and whose hidden parts add up to less
//     than k gives that small sum away: hide another.
//
// The other hidden count is the smallest count above zero in the sum
// (the least information lost); failing that, its total.
//
// In a two-way table with its margins the rules are not quite enough: a
// hidden count is worked out exactly when, in the graph whose nodes are
// the rows and columns and whose edges are the hidden counts, its edge
// is a bridge (in no cycle). So each such table is also searched for
// bridges, and each is closed into a cycle by hiding one more count,
// again the smallest.
//
// Tables share their totals (the interviews in each group, the overall
// total), so a total hidden for one table is hidden in all, and the
// rules run until no table changes.

import "slices"

// equation: the parts add up to total.
type equation struct {
	parts []*Count
	total *Count
}

func suppress(tables []*Table, extra []equation, k int) {
	if k <= 1 {
		return
	}
	seen := map[*Count]bool{}
	for _, t := range tables {
		forCells(t, func(c *Count) {
			if !seen[c] {
				seen[c] = true
				if c.N > 0 && c.N < k {
					c.Suppressed, c.Primary = true, true
				}
			}
		})
	}
	var eqs []equation
	for _, t := range tables {
		eqs = append(eqs, t.equations()...)
	}
	eqs = append(eqs, extra...)
	for {
		changed := false
		for again := true; again; {
			again = false
			for _, e := range eqs {
				if e.fix(k) {
					again, changed = true, true
				}
			}
		}
		for _, t := range tables {
			if !t.Multi && len(t.ColTotals) > 0 {
				for t.closeBridge() {
					changed = true
				}
			}
		}
		if !changed {
			return
		}
	}
}

func forCells(t *Table, f func(*Count)) {
	for _, row := range t.Cells {
		for _, c := range row {
			f(c)
		}
	}
	for _, c := range t.Margin {
		f(c)
	}
	for _, c := range t.ColTotals {
		f(c)
	}
	f(t.Total)
}

// equations are the sums that tie t's counts.
func (t *Table) equations() []equation {
	var eqs []equation
	if len(t.ColTotals) > 0 {
		for v, row := range t.Cells {
			eqs = append(eqs, equation{parts: row, total: t.Margin[v]})
		}
		eqs = append(eqs, equation{parts: t.ColTotals, total: t.Total})
	}
	if !t.Multi {
		for g := range t.ColTotals {
			col := make([]*Count, len(t.Cells))
			for v := range t.Cells {
				col[v] = t.Cells[v][g]
			}
			eqs = append(eqs, equation{parts: col, total: t.ColTotals[g]})
		}
		eqs = append(eqs, equation{parts: t.Margin, total: t.Total})
	}
	return eqs
}

// fix applies the two rules to e once, reporting whether it hid a count.
func (e equation) fix(k int) bool {
	hidden, mass := 0, 0
	for _, c := range e.parts {
		if c.Suppressed {
			hidden++
			mass += c.N
		}
	}
	if e.total.Suppressed {
		hidden++
	}
	if hidden == 0 {
		return false
	}
	if hidden > 0 && mass > 0 {
		// Hidden parts beside nothing but zeros: the zeros point at them.
		var zeros []*Count
		for _, c := range e.parts {
			if !c.Suppressed {
				if c.N != 0 {
					zeros = nil
					break
				}
				zeros = append(zeros, c)
			}
		}
		for _, z := range zeros {
			z.Suppressed = true
		}
		if len(zeros) > 0 {
			return true
		}
	}
	if hidden > 1 && (e.total.Suppressed || mass == 0 || mass >= k) {
		return false
	}
	var pick *Count
	for _, c := range e.parts {
		if !c.Suppressed && c.N > 0 && (pick == nil || c.N < pick.N) {
			pick = c
		}
	}
	if pick == nil && !e.total.Suppressed && e.total.N > 0 {
		pick = e.total
	}
	if pick == nil {
		return false // only zeros left: nothing more to hide
	}
	pick.Suppressed = true
	return true
}

// at is the count at row r, column c of t's grid with its margins: rows
// are t's values then the group totals, columns the groups then the
// margin.
func (t *Table) at(r, c int) *Count {
	nv, ng := len(t.Values), len(t.ColTotals)
	switch {
	case r == nv && c == ng:
		return t.Total
	case r == nv:
		return t.ColTotals[c]
	case c == ng:
		return t.Margin[r]
	}
	return t.Cells[r][c]
}

// closeBridge finds one hidden count that the others and the totals give
// away (a bridge) and hides one more to close it into a cycle. It
// reports whether it hid anything.
func (t *Table) closeBridge() bool {
	nv, ng := len(t.Values), len(t.ColTotals)
	rows, cols := nv+1, ng+1
	// Nodes: rows 0..rows-1, then columns rows..rows+cols-1.
	n := rows + cols
	adj := make([][]int, n)
	for r := range rows {
		for c := range cols {
			if t.at(r, c).Suppressed {
				adj[r] = append(adj[r], rows+c)
				adj[rows+c] = append(adj[rows+c], r)
			}
		}
	}
	br, bc, ok := findBridge(adj)
	if !ok {
		return false
	}
	if br >= rows { // an edge is found from either end
		br, bc = bc, br
	}
	bc -= rows
	// The side of the bridge its row is on, without the bridge.
	side := make([]bool, n)
	stack := []int{br}
	side[br] = true
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, y := range adj[x] {
			if (x == br && y == rows+bc) || (y == br && x == rows+bc) || side[y] {
				continue
			}
			side[y] = true
			stack = append(stack, y)
		}
	}
	// Any count joining a row on one side to a column on the other closes
	// a cycle through the bridge; take the smallest, above zero if any.
	var pick *Count
	better := func(c *Count) bool {
		if pick == nil {
			return true
		}
		if (c.N > 0) != (pick.N > 0) {
			return c.N > 0
		}
		return c.N < pick.N
	}
	for r := range rows {
		for c := range cols {
			if side[r] == side[rows+c] || (r == br && c == bc) {
				continue
			}
			if x := t.at(r, c); !x.Suppressed && better(x) {
				pick = x
			}
		}
	}
	if pick == nil {
		return false
	}
	pick.Suppressed = true
	return true
}

// findBridge returns the ends of a bridge of the graph, if it has one
// (Tarjan's low-link, iterative so that a large table cannot overflow
// the stack).
func findBridge(adj [][]int) (int, int, bool) {
	n := len(adj)
	disc := slices.Repeat([]int{-1}, n)
	low := make([]int, n)
	parent := slices.Repeat([]int{-1}, n)
	next := make([]int, n) // next neighbour to visit
	timer := 0
	for s := range n {
		if disc[s] >= 0 || len(adj[s]) == 0 {
			continue
		}
		stack := []int{s}
		disc[s], low[s] = timer, timer
		timer++
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			if next[x] < len(adj[x]) {
				y := adj[x][next[x]]
				next[x]++
				switch {
				case disc[y] < 0:
					parent[y] = x
					disc[y], low[y] = timer, timer
					timer++
					stack = append(stack, y)
				case y != parent[x]:
					low[x] = min(low[x], disc[y])
				}
				continue
			}
			stack = stack[:len(stack)-1]
			if p := parent[x]; p >= 0 {
				low[p] = min(low[p], low[x])
				if low[x] > disc[p] {
					return p, x, true
				}
			}
		}
	}
	return 0, 0, false
}
