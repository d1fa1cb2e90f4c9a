/* Unicode property escapes (\p{...}, \P{...}) for the transpiler heap:
 * which names ECMAScript accepts and the code points each one stands for,
 * from __jsbUnicodeData (written at build time, tools/unicode_bundle.py).
 * acorn asks __jsbUnicodeProperty.problem() while it checks a pattern and
 * regexpu-core asks .ranges() while it rewrites one (both patched); the
 * host loads this only for a source that holds "\p{" or "\P{".
 * Names match exactly, as the specification asks: no loose matching. */
var __jsbUnicodeProperty = (function (data) {
	'use strict';
	var NON_BINARY = { General_Category: true, Script: true, Script_Extensions: true };

	function own(map, key) {
		return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : null;
	}

	/* "Property/Value" for \p{name=value}, or a message saying which part
	 * is not known. */
	function pathOfPair(name, value) {
		var property = own(data.properties, name);
		if (!property || !NON_BINARY[property])
			return { problem: 'Invalid property name' };
		var canonical = own(data.values[property], value);
		return canonical ? { path: property + '/' + canonical } : { problem: 'Invalid property value' };
	}

	/* "General_Category/Value" or "Binary_Property/Name" for \p{name}. */
	function pathOfLone(name) {
		var category = own(data.values.General_Category, name);
		if (category)
			return { path: 'General_Category/' + category };
		var property = own(data.properties, name);
		if (property && own(data.sets, 'Binary_Property/' + property) !== null)
			return { path: 'Binary_Property/' + property };
		return { problem: 'Invalid property name' };
	}

	function lookup(name, value) {
		return value === undefined ? pathOfLone(name) : pathOfPair(name, value);
	}

	/* The set's ranges as [first, last + 1, ...], from base-36 gaps. */
	function decode(text) {
		var gaps = text ? text.split(' ') : [], out = [], at = 0;
		for (var i = 0; i < gaps.length; i++)
			out.push(at += parseInt(gaps[i], 36));
		return out;
	}

	return {
		unicodeVersion: data.unicodeVersion,
		/* '' when \p{name=value} (value undefined: \p{name}) is valid. */
		problem: function (name, value) {
			return lookup(name, value).problem || '';
		},
		/* A property of strings (v flag only, as \p{RGI_Emoji}):
		 * { ranges: [first, last + 1, ...], strings: [...] }, or null. */
		strings: function (name) {
			var set = own(data.stringSets, name);
			return set && { ranges: decode(set.ranges), strings: set.strings };
		},
		/* The text between the braces -> [first, last + 1, ...]. */
		ranges: function (text) {
			var eq = text.indexOf('='), found = eq < 0 ? lookup(text) : lookup(text.slice(0, eq), text.slice(eq + 1));
			if (found.problem)
				throw new SyntaxError(found.problem + ' in \\p{' + text + '}');
			return decode(data.sets[found.path]);
		}
	};
})(__jsbUnicodeData);
