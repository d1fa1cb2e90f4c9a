/* The transpiler heap's entry point, appended after the transpiler bundle.
 * __jsbTranspile(source) -> { code } or { error, line, column, unsupported, atEnd }
 * (atEnd: the source ended before the construct did, as in a REPL line
 * waiting for more).
 * Runs in jsbox's own trusted heap, never in the script's. */
var __jsbTranspile = (function (buble) {
	'use strict';
	var options = {
		transforms: { dangerousForOf: true, dangerousTaggedTemplateString: true, asyncAwait: true },
		objectAssign: 'Object.assign',
		namedFunctionExpressions: false
	};
	/* "Transforming generators is not implemented. Use ..." -> "generators". */
	function unsupported(msg) {
		var m = /^Transforming (.*?) is not (implemented|fully supported)/.exec(msg);
		return m ? m[1] : null;
	}
	return function (source) {
		try {
			return { code: buble.transform(source, options).code };
		} catch (e) {
			var loc = e.loc || {};
			var feature = unsupported(String(e.message));
			return {
				error: feature ? feature + ' are not supported' : String(e.message).replace(/ \(\d+:\d+\)$/, ''),
				unsupported: !!feature,
				atEnd: e.pos >= source.length || /^Unterminated (template|comment)/.test(e.message),
				line: loc.line || 0,
				column: (loc.column || 0) + 1
			};
		}
	};
})(buble);
