package browsertest

import "strconv"

// Checks of pages that show charts (handlers/chart), run in the page with
// chromedp.Evaluate[string]: each returns one line per problem, or "".

// ChartLayoutJS is a check of what a reader would see wrong on a page of
// charts at width pixels: the page or a chart's table scrolling sideways,
// text in a chart overlapping other text or leaving the drawing, text
// smaller than 11 pixels.
func ChartLayoutJS(width int) string { return chartLayout + "(" + strconv.Itoa(width) + ")" }

const chartLayout = `((width) => {
	const out = [];
	const doc = document.documentElement;
	if (doc.scrollWidth > width) out.push("page scrolls sideways: " + doc.scrollWidth + " > " + width);
	for (const r of document.querySelectorAll(".chart-figures")) {
		if (r.scrollWidth > r.clientWidth + 1) out.push(r.getAttribute("aria-labelledby") + " scrolls sideways: " + r.scrollWidth + " > " + r.clientWidth);
	}
	for (const svg of document.querySelectorAll("svg.chart")) {
		const box = svg.getBoundingClientRect();
		if (box.right > width + 0.5) out.push(svg.id + " overflows the viewport");
		const scale = svg.getScreenCTM().a;
		const texts = [...svg.querySelectorAll("text")].map(t => ({t, r: t.getBoundingClientRect(),
			px: parseFloat(t.getAttribute("font-size") || svg.getAttribute("font-size")) * scale}));
		for (const a of texts) {
			if (a.px < 11) out.push(svg.id + ": text " + JSON.stringify(a.t.textContent) + " is " + a.px.toFixed(1) + "px");
			if (a.r.left < box.left - 0.5 || a.r.right > box.right + 0.5 || a.r.top < box.top - 0.5 || a.r.bottom > box.bottom + 0.5)
				out.push(svg.id + ": text " + JSON.stringify(a.t.textContent) + " leaves the drawing");
		}
		for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
			const a = texts[i].r, b = texts[j].r;
			const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
			const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
			if (dx > 1 && dy > 2) out.push(svg.id + ": " + JSON.stringify(texts[i].t.textContent) + " overlaps " + JSON.stringify(texts[j].t.textContent));
		}
	}
	return out.join("\n");
})`

// ChartFiguresJS is a check that every chart on the page draws the figures
// its table beside it holds: each stacked bar's value and each day's total,
// each reference bar's label, each bar's or funnel stage's figure, against
// the table's cell for the same row and column.
const ChartFiguresJS = `(() => {
	const out = [];
	const value = s => parseFloat(s.replace(/,/g, ""));
	for (const pair of document.querySelectorAll(".chart-pair")) {
		const svg = pair.querySelector("svg.chart");
		const rows = [...pair.querySelectorAll("tbody tr")].map(tr => [...tr.children].map(c => c.textContent.trim()));
		const id = svg.id;
		let checked = 0;
		for (const r of svg.querySelectorAll("rect[data-category]")) {
			const i = +r.dataset.category, j = +r.dataset.series, cell = rows[i] && rows[i][j + 1];
			checked++;
			if (cell === undefined || value(cell) !== value(r.dataset.value)) out.push(id + ": bar " + i + "/" + j + " draws " + r.dataset.value + ", the table says " + cell);
		}
		for (const t of svg.querySelectorAll("text[data-total]")) {
			const row = rows[+t.dataset.total], cell = row && row[row.length - 1];
			checked++;
			if (cell !== t.textContent.trim()) out.push(id + ": total " + t.dataset.total + " reads " + t.textContent + ", the table says " + cell);
		}
		for (const g of svg.querySelectorAll("g[data-group]")) {
			for (const t of g.querySelectorAll("text[data-value-label]")) {
				const row = rows[+g.dataset.group], cell = row && row[+t.dataset.valueLabel + 1];
				checked++;
				if (cell !== t.textContent.replace(/ \(over\)$/, "").trim()) out.push(id + ": " + (row && row[0]) + " reads " + t.textContent + ", the table says " + cell);
			}
		}
		for (const t of svg.querySelectorAll("text[data-figure]")) {
			const row = rows[+t.dataset.figure];
			const want = row && (row.length === 3 ? row[1] + " (" + row[2] + ")" : row[1]);
			checked++;
			if (want !== t.textContent.trim()) out.push(id + ": row " + t.dataset.figure + " reads " + t.textContent + ", the table says " + want);
		}
		if (checked === 0 && !svg.querySelector("rect.chart-frame")) out.push(id + ": no figure to check, and not the empty-period drawing");
	}
	return out.join("\n");
})()`
