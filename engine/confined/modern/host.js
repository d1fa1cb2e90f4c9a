/* The transpiler heap's entry point, appended after the transpiler bundle.
 * __jsbTranspile(source) -> { code } or { error, line, column, unsupported, atEnd }
 * (atEnd: the source ended before the construct did, as in a REPL line
 * waiting for more).  The code ends in a line "//# jsboxLines=G:S,..."
 * that maps its lines to the source's (see modern.h).
 * Generators and async functions pass through buble untouched; for a
 * source that has them the result is { regenerate: pending } instead, and
 * the host loads regen.js and calls __jsbRegenerateResult(pending), which
 * rewrites them (__jsbRegenerate, keeping lines) and gives the result.
 * Runs in jsbox's own trusted heap, never in the script's. */
var __jsbGenerates = {found : false}, __jsbRegenerateResult;
var __jsbTranspile = (function (buble, acorn) {
	'use strict';
	var options = {
		transforms: { dangerousForOf: true, dangerousTaggedTemplateString: true, generator: false, asyncAwait: false,
		             stickyRegExp: false },
		objectAssign: 'Object.assign',
		namedFunctionExpressions: true
	};
	var parseOptions = {
		ecmaVersion: 10, ranges: true, locations: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true
	};
	function parse(code) {
		return acorn.parse(code, parseOptions);
	}
	/* "Transforming generators is not implemented. Use ..." -> "generators";
	 * jsbox's own messages name the feature already. */
	function unsupported(msg) {
		var m = /^Transforming (.*?) is not (implemented|fully supported)/.exec(msg);
		return m ? m[1] + ' are not supported' : / not supported/.test(msg) ? msg.replace(/ \(\d+:\d+\)$/, '') : null;
	}
	/* The source line (0-based) of the first place each line of the
	 * translation maps to, or -1 for a line of inserted text only: what
	 * the first segment of each line of magic-string's source map gives
	 * (an edit maps at its chunk's start, an unedited chunk at its start
	 * and after each of its newlines), read from the chunks without
	 * building the map. */
	function lineSources(ms) {
		var original = ms.original, starts = [0], lines = [-1], g = 0;
		for (var i = original.indexOf('\n'); i >= 0; i = original.indexOf('\n', i + 1))
			starts.push(i + 1);
		function lineOf(pos) {
			var lo = 0, hi = starts.length;
			while (lo < hi) {
				var mid = (lo + hi) >> 1;
				if (pos < starts[mid])
					hi = mid;
				else
					lo = mid + 1;
			}
			return lo - 1;
		}
		function advance(text) {
			for (var i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1))
				lines[++g] = -1;
		}
		advance(ms.intro);
		for (var c = ms.firstChunk; c; c = c.next) {
			advance(c.intro);
			if (c.edited) {
				if (c.content.length && lines[g] < 0)
					lines[g] = lineOf(c.start);
				advance(c.content);
			} else if (c.start < c.end) {
				var line = lineOf(c.start);
				if (lines[g] < 0)
					lines[g] = line;
				for (var n = original.indexOf('\n', c.start); n >= 0 && n < c.end; n = original.indexOf('\n', n + 1))
					lines[++g] = n + 1 < c.end ? ++line : (line++, -1);
			}
			advance(c.outro);
		}
		return lines;
	}
	/* "G:S" for each line G of the translation (1-based) that does not come
	 * from the line after the previous one's source line S; '' when the
	 * translation keeps every line.  A line without a mapping of its own
	 * (inside inserted text) comes from the line before it. */
	function lineMarks(sources) {
		var marks = [], source = 1, expected = 1;
		for (var g = 0; g < sources.length; g++, expected = source + 1) {
			if (sources[g] >= 0)
				source = sources[g] + 1;
			else
				source = g ? source : 1;
			if (source !== expected)
				marks.push((g + 1) + ':' + source);
		}
		return marks.join(',');
	}
	/* Whether some `for (... of ...)` header is followed by anything but
	 * `{`.  One pass over each header, counting parentheses; a quote,
	 * backquote or slash inside a header (a string, template, regexp or
	 * comment, where a parenthesis may not count) or between the header
	 * and its body answers yes, never a guess that would skip the fix. */
	function mayHaveUnbracedForOf(text)
	{
		var loop = /\bfor\s*\(/g, m;
		while ((m = loop.exec(text))) {
			var i = loop.lastIndex, depth = 1;
			for (; i < text.length && depth; i++) {
				var c = text.charCodeAt(i);
				if (c === 40)
					depth++;
				else if (c === 41)
					depth--;
				else if (c === 34 || c === 39 || c === 96 || c === 47)
					return true;
			}
			if (!/\bof\b/.test(text.slice(loop.lastIndex, i - 1)))
				continue;
			while (i < text.length && /\s/.test(text.charAt(i)))
				i++;
			if (text.charAt(i) !== '{')
				return true;
			loop.lastIndex = i;
		}
		return false;
	}
	/* The body of a for-of loop without braces gets them (on the same
	 * lines, so lines stay the user's): buble's rewrite of a body whose bindings a closure
	 * captures into a function misplaces the braces it adds itself.  The scan spares the second
	 * parse where no such loop can be. */
	function braceLoopBodies(text) {
		if (!mayHaveUnbracedForOf(text))
			return text;
		var bodies = [];
		try {
			(function walk(node) {
				if (node.type === 'ForOfStatement' && node.body.type !== 'BlockStatement')
					bodies.push(node.body);
				for (var k in node) {
					var v = node[k];
					if (v && typeof v === 'object' && k !== 'loc')
						[].concat(v).forEach(function (c) {
							if (c && typeof c.type === 'string')
								walk(c);
						});
				}
			})(parse(text));
		} catch (e) {
			return text; /* buble reports it */
		}
		/* From the last place back, so that nested bodies keep their places. */
		var edits = [];
		bodies.forEach(function (b) {
			edits.push([b.start, '{ '], [b.end, ' }']);
		});
		edits.sort(function (a, b) { return b[0] - a[0]; });
		edits.forEach(function (e) {
			text = text.slice(0, e[0]) + e[1] + text.slice(e[0]);
		});
		return text;
	}
	/* The result for the host: the code, with its line marks as its last
	 * line, always ("1:1" when no line moved): the host reads only the last
	 * line, which the source cannot write. */
	function finish(pending, code)
	{
		return {code : code + '\n//# jsboxLines=' + (pending.marks || '1:1')};
	}
	/* Whether e is the engine's limit on how deep the transpiler's own
	 * recursion may go, which a deeply nested source reaches: it has no
	 * place, and its message names the engine, not the source. */
	function tooDeep(e)
	{
		return !e.loc && e instanceof RangeError &&
		       /^(callstack limit|C call stack depth limit|.*recursion limit)$/.test(String(e.message));
	}
	function failure(e, source)
	{
		var loc = e.loc || {};
		var feature = unsupported(String(e.message));
		var deep = tooDeep(e) && 'the source is nested too deeply to translate';
		return {
			error : deep || feature || String(e.message).replace(/ \(\d+:\d+\)$/, ''),
			unsupported : !!feature,
			atEnd : e.pos >= source.length ||
			            /^Unterminated (template|comment)/.test(e.message),
			line : loc.line || 0,
			column : (loc.column || 0) + 1
		};
	}
	/* The second step for a source with generators or async functions,
	 * once the host has loaded regen.js. */
	__jsbRegenerateResult = function(pending) {
		try {
			return finish(pending, __jsbRegenerate(pending.code, parse));
		} catch (e) {
			return failure(e, pending.source);
		}
	};
	return function (source) {
		try {
			/* A #! line becomes a comment of the same length: what the
			 * translation puts in front of the program must not hide it. */
			var text = braceLoopBodies(source.slice(0, 2) === '#!' ? '//' + source.slice(2) : source);
			__jsbGenerates.found = false;
			var result = buble.transform(text, options);
			var pending = {
				code : result.code,
				marks : lineMarks(lineSources(result.magicString)),
				source : source
			};
			return __jsbGenerates.found ? {regenerate : pending}
			                            : finish(pending, result.code);
		} catch (e) {
			return failure(e, source);
		}
	};
})(__jsbRequire('buble'), __jsbRequire('acorn'));
