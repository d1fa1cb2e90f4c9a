/* The transpiler heap's entry point, appended after the transpiler bundle.
 * __jsbTranspile(source) -> { code } or { error, line, column, unsupported }.
 * Generators and async functions pass through buble untouched and go to
 * __jsbRegenerate (regen.js) when the host has loaded it for this source.
 * Runs in jsbox's own trusted heap, never in the script's. */
var __jsbTranspile = (function (buble, acorn) {
	'use strict';
	var options = {
		transforms: { dangerousForOf: true, dangerousTaggedTemplateString: true, generator: false, asyncAwait: false },
		objectAssign: 'Object.assign',
		namedFunctionExpressions: false
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
	function es5(source) {
		var code = buble.transform(source, options).code;
		return typeof __jsbRegenerate === 'function' ? __jsbRegenerate(code, parse) : code;
	}
	return function (source) {
		try {
			return { code: es5(source) };
		} catch (e) {
			var loc = e.loc || {};
			var feature = unsupported(String(e.message));
			return {
				error: feature || String(e.message).replace(/ \(\d+:\d+\)$/, ''),
				unsupported: !!feature,
				line: loc.line || 0,
				column: (loc.column || 0) + 1
			};
		}
	};
})(__jsbRequire('buble'), __jsbRequire('acorn'));
