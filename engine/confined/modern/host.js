/* The transpiler heap's entry point, appended after the transpiler bundle.
 * __jsbTranspile(source) -> { code } or { error, line, column, unsupported, atEnd }
 * (atEnd: the source ended before the construct did, as in a REPL line
 * waiting for more).  When the translation's lines are not the source's,
 * the code ends in a line "//# jsboxLines=G:S,G:S,..." (see modern.h).
 * Generators and async functions pass through buble untouched and go to
 * __jsbRegenerate (regen.js), which keeps lines, when the host has loaded
 * it for this source.
 * Runs in jsbox's own trusted heap, never in the script's. */
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
	/* "G:S" for each line G of the translation (1-based) that does not come
	 * from the line after the previous one's source line S; '' when the
	 * translation keeps every line.  A line without a mapping of its own
	 * (inside inserted text) comes from the line before it. */
	function lineMarks(mappings) {
		var marks = [], source = 1, expected = 1;
		for (var g = 0; g < mappings.length; g++, expected = source + 1) {
			if (mappings[g].length)
				source = mappings[g][0][2] + 1;
			else
				source = g ? source : 1;
			if (source !== expected)
				marks.push((g + 1) + ':' + source);
		}
		return marks.join(',');
	}
	/* The body of a for-of loop without braces gets them (on the same
	 * lines, so lines stay the user's): buble's rewrite of a body whose bindings a closure captures
	 * into a function misplaces the braces it adds itself.  The regexp
	 * only spares the parse where no such loop can be. */
	function braceLoopBodies(text) {
		if (!/\bfor\s*\([^;{}]*?\bof\b[\s\S]*?\)\s*[^\s{]/.test(text))
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
	return function (source) {
		try {
			/* A #! line becomes a comment of the same length: what the
			 * translation puts in front of the program must not hide it. */
			var text = braceLoopBodies(source.slice(0, 2) === '#!' ? '//' + source.slice(2) : source);
			var result = buble.transform(text, options);
			var code = typeof __jsbRegenerate === 'function' ? __jsbRegenerate(result.code, parse) : result.code;
			var marks = lineMarks(result.map.mappings);
			return { code: marks ? code + '\n//# jsboxLines=' + marks : code };
		} catch (e) {
			var loc = e.loc || {};
			var feature = unsupported(String(e.message));
			return {
				error: feature || String(e.message).replace(/ \(\d+:\d+\)$/, ''),
				unsupported: !!feature,
				atEnd: e.pos >= source.length || /^Unterminated (template|comment)/.test(e.message),
				line: loc.line || 0,
				column: (loc.column || 0) + 1
			};
		}
	};
})(__jsbRequire('buble'), __jsbRequire('acorn'));
