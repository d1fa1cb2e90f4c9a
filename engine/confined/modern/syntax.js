/* Syntax after ES2018 for the transpiler heap: Bublé's node types for what
 * acorn 8 parses and Bublé 0.20 does not translate.  Called inside Bublé's
 * module, before it wraps a parse tree, with its Node base class, its table
 * of node types and its CompileError.  Each transpile() lets the children
 * translate first, then rewrites its own source range from their
 * translations (magic-string slices), keeping the original line breaks.
 * Operands used twice go through function-scope temporaries ($jsb, $jsb$1,
 * ...), so each is evaluated once. */
function __jsbSyntax(Node, types, CompileError) {
	'use strict';

	/* Bublé's findNearest tests a pattern (made anew from a type name for
	 * every call) against the type of each ancestor in turn, and Duktape
	 * tries a pattern at every offset of the string: some 7% of a
	 * translation's instructions.  The same answers: a name is compared,
	 * and each pattern's answer for a type is kept (a non-global pattern's
	 * test() depends on the string alone).  Program's own findNearest
	 * (null) still ends the walk. */
	var nearest = Node.prototype.findNearest, answers = {};
	Node.prototype.findNearest = function findNearest(type) {
		var node = this, known;
		if (typeof type === 'string' && /^\w+$/.test(type)) {
			for (; node.findNearest === findNearest; node = node.parent)
				if (node.type === type)
					return node;
			return node.findNearest(type);
		}
		if (!(type instanceof RegExp) || type.global || type.sticky)
			return nearest.call(this, type);
		known = answers[String(type)] || (answers[String(type)] = Object.create(null));
		for (; node.findNearest === findNearest; node = node.parent) {
			var hit = known[node.type];
			if (hit === undefined)
				hit = known[node.type] = type.test(node.type);
			if (hit)
				return node;
		}
		return node.findNearest(type);
	};

	function subclass(methods) {
		function Type() {
			Node.apply(this, arguments);
		}
		Type.prototype = Object.create(Node.prototype);
		Type.prototype.constructor = Type;
		for (var name in methods)
			Type.prototype[name] = methods[name];
		return Type;
	}

	function unsupported(feature, node) {
		throw new CompileError('Transforming ' + feature + ' is not implemented', node);
	}

	/* Source between an operand and the next with the operator taken out
	 * (line breaks and comments stay). */
	function without(text, operator) {
		return text.replace(operator, '').replace(/^[ \t]+/, '');
	}

	/* A name the source does not contain, so that neither it nor the names
	 * Bublé derives from it ($jsb$1, ...) clash with or shadow the user's. */
	function unused(node, base) {
		var source = node.program.magicString.original, name = base;
		for (var i = 1; source.indexOf(name) >= 0; i++)
			name = base + i;
		return name;
	}

	/* A fresh temporary of the function (or program) around node. */
	function temp(node) {
		var program = node.program;
		if (!program.jsbTemp)
			program.jsbTemp = unused(node, '$jsb');
		return node.findScope(true).createDeclaration(program.jsbTemp);
	}

	/* What a rewrite of node (which starts with "(") needs in front: when
	 * node starts a statement, "void 0, ", so that after a line without a
	 * semicolon it does not become a call (`f()\n(x)`) but a new statement. */
	function lead(node) {
		var start = node.start;
		while (node.parent.start === start && node.parent.type !== 'ExpressionStatement' &&
		       node.parent.type !== 'Root')
			node = node.parent;
		return node.parent.type === 'ExpressionStatement' && node.parent.start === start
			? 'void 0, ' : '';
	}

	/* The inner expression of one link of an optional chain. */
	function inner(link) {
		return link.type === 'CallExpression' ? link.callee : link.object;
	}

	/* "?.(args)" -> "(args)", or ".call(self, args)" to keep `this`. */
	function callText(text, self, nargs) {
		text = text.replace('?.', '');
		if (!self)
			return text;
		var i = text.indexOf('(');
		return text.slice(0, i) + '.call(' + self + (nargs ? ', ' : '') + text.slice(i + 1);
	}

	/* f(a, ...b) in a chain -> [].concat([a], __jsbIter(b)), the arguments
	 * of f.apply() (Bublé's own spread would rewrite the callee, which the
	 * chain rewrites too). */
	function spreadArray(call, code) {
		return '[].concat(' + call.arguments.map(function (a) {
			return a.type === 'SpreadElement'
				? '__jsbIter(' + code.slice(a.argument.start, a.argument.end) + ')'
				: '[' + code.slice(a.start, a.end) + ']';
		}).join(', ') + ')';
	}

	/* The call of `(a?.b)(...)`, which calls b with a as `this`: a call
	 * without spread arguments whose callee is the chain in parentheses. */
	function parenthesizedCall(chain) {
		var node = chain, parent = chain.parent;
		while (parent.type === 'ParenthesizedExpression') {
			node = parent;
			parent = parent.parent;
		}
		var ok = node !== chain && parent.type === 'CallExpression' && parent.callee === node &&
			chain.expression.type === 'MemberExpression' &&
			!parent.arguments.some(function (a) { return a.type === 'SpreadElement'; });
		return ok ? parent : null;
	}

	/* a?.b.c -> ((t = a) == null ? void 0 : t.b.c): every optional link
	 * tests the value so far and, when it is null or undefined, skips the
	 * rest of the chain.  A call whose callee is a member keeps the
	 * member's object as `this`. */
	var ChainExpression = subclass({
		initialise: function (transforms) {
			for (var n = this.expression; /^(Member|Call)Expression$/.test(n.type); n = inner(n)) {
				if (n.type === 'CallExpression')
					n.jsbSpread = n.arguments.some(function (a) {
						return a.type === 'SpreadElement';
					});
				if (inner(n).type === 'Super')
					unsupported('optional chains on super', n);
			}
			Node.prototype.initialise.call(this, transforms);
		},
		transpile: function (code, transforms) {
			Node.prototype.transpile.call(this, code, transforms);
			var spine = [];
			for (var n = this.expression; /^(Member|Call)Expression$/.test(n.type); n = inner(n))
				spine.unshift(n);
			var base = inner(spine[0]);
			var isDelete = this.parent.type === 'UnaryExpression' && this.parent.operator === 'delete';
			var miss = isDelete ? 'true' : 'void 0';
			var tests = '', cur = code.slice(base.start, base.end), before = cur, piece = '';
			var call = parenthesizedCall(this), callSelf = null;
			for (var i = 0; i < spine.length; i++) {
				var link = spine[i], from = inner(link);
				var text = code.slice(from.end, link.end);
				var self = null;
				if ((link.optional || link.jsbSpread) && link.type === 'CallExpression' &&
				    from.type === 'MemberExpression') {
					if (from.optional) {
						self = before;
					} else {
						self = temp(this);
						cur = '(' + self + ' = ' + before + ')' + piece;
					}
				}
				if (link.optional) {
					var t = temp(this);
					tests += '(' + t + ' = ' + cur + ') == null ? ' + miss + ' : ';
					cur = t;
					text = link.type === 'CallExpression'
						? callText(text, self, link.arguments.length)
						: text.replace('?.', link.computed ? '' : '.');
				}
				if (link.jsbSpread)
					text = '.apply(' + (self || 'void 0') + ', ' + spreadArray(link, code) + ')';
				if (call && i === spine.length - 1) {
					callSelf = link.optional ? cur : temp(this);
					if (!link.optional)
						cur = '(' + callSelf + ' = ' + cur + ')';
				}
				before = cur;
				piece = text;
				cur += text;
			}
			var whole = isDelete ? this.parent : this;
			code.overwrite(whole.start, this.end,
				lead(whole) + '(' + tests + (isDelete ? 'delete ' : '') + cur + ')');
			if (call) {
				var open = code.original.indexOf('(', call.callee.end);
				code.overwrite(call.callee.end, open + 1,
					'.call(' + callSelf + (call.arguments.length ? ', ' : ''));
			}
		}
	});

	/* a ?? b -> ((t = a) != null ? t : b) */
	var LogicalExpression = subclass({
		transpile: function (code, transforms) {
			Node.prototype.transpile.call(this, code, transforms);
			if (this.operator !== '??')
				return;
			var t = temp(this);
			var left = code.slice(this.left.start, this.left.end);
			var right = without(code.slice(this.left.end, this.right.end), '??');
			code.overwrite(this.start, this.end,
				lead(this) + '((' + t + ' = ' + left + ') != null ? ' + t + ' : ' + right + ')');
		}
	});

	/* The target of a logical assignment, read once and written through the
	 * same object and key: { get, set }. */
	function target(node, code) {
		var left = node.left;
		if (left.type !== 'MemberExpression')
			return { get: code.slice(left.start, left.end), set: code.slice(left.start, left.end) };
		if (left.object.type === 'Super')
			unsupported('logical assignment to super properties', node);
		var o = temp(node), object = code.slice(left.object.start, left.object.end);
		if (!left.computed) {
			var dot = code.slice(left.object.end, left.end);
			return { get: '(' + o + ' = ' + object + ')' + dot, set: o + dot };
		}
		var k = temp(node), key = code.slice(left.property.start, left.property.end);
		return { get: '(' + o + ' = ' + object + ')[' + k + ' = ' + key + ']', set: o + '[' + k + ']' };
	}

	/* a ||= b -> (a || (a = b)); a ??= b -> ((t = a) != null ? t : (a = b));
	 * o.p &&= b -> ((t = o).p && (t.p = b)). */
	var Assignment = types.AssignmentExpression;
	var assignmentTranspile = Assignment.prototype.transpile;
	Assignment.prototype.transpile = function (code, transforms) {
		assignmentTranspile.call(this, code, transforms);
		if (!/^(\|\||&&|\?\?)=$/.test(this.operator))
			return;
		var op = this.operator.slice(0, 2), place = target(this, code);
		var value = '(' + place.set + ' = ' + without(code.slice(this.left.end, this.end), this.operator) + ')';
		var text;
		if (op === '??') {
			var t = temp(this);
			text = '((' + t + ' = ' + place.get + ') != null ? ' + t + ' : ' + value + ')';
		} else {
			text = '(' + place.get + ' ' + op + ' ' + value + ')';
		}
		code.overwrite(this.start, this.end, lead(this) + text);
	};

	/* catch { } -> catch ($jsbCaught) { } */
	var Catch = types.CatchClause;
	var catchInitialise = Catch.prototype.initialise, catchTranspile = Catch.prototype.transpile;
	function nothing() {}
	Catch.prototype.initialise = function (transforms) {
		if (!this.param) {
			this.jsbNoParam = true;
			this.param = { type: 'Identifier', name: unused(this, '$jsbCaught'), start: this.body.start,
				end: this.body.start, initialise: nothing, transpile: nothing };
		}
		catchInitialise.call(this, transforms);
	};
	Catch.prototype.transpile = function (code, transforms) {
		if (this.jsbNoParam)
			code.appendLeft(this.body.start, '(' + this.param.name + ') ');
		(catchTranspile || Node.prototype.transpile).call(this, code, transforms);
	};

	/* 1_000 -> 1000; BigInt literals have no ES5 form. */
	var literalTranspile = types.Literal.prototype.transpile;
	types.Literal.prototype.transpile = function (code, transforms) {
		if (this.bigint)
			unsupported('BigInt literals', this);
		if (typeof this.value !== 'number' || this.raw.indexOf('_') < 0)
			return literalTranspile.call(this, code, transforms);
		code.overwrite(this.start, this.end,
			/^0[bo]/i.test(this.raw) ? String(this.value) : this.raw.replace(/_/g, ''));
	};

	/* Pattern modifiers, (?ims-ims:...) (ES2025), have no ES5 form: a
	 * flag that a group turns on or off leaves the literal's flags, and
	 * each piece it governs is written as the flag would match it:
	 * s: "." as [\s\S] or [^\n\r\u2028\u2029]; m: "^" and "$" also at
	 * line terminators (lookaround); i: each letter, and each class, with
	 * the letters equal to it ignoring case (ES5's Canonicalize:
	 * toUpperCase, never from a non-ASCII letter to an ASCII one). */
	var LINE_END = '[\\n\\r\\u2028\\u2029]';
	/* The letters Canonicalize maps to one, where more than a lowercase
	 * and an uppercase letter do (from the Unicode data node 20 has). */
	var CASE_GROUPS = ('\u039c\u00b5\u03bc \u01c4\u01c5\u01c6 \u01c7\u01c8\u01c9 \u01ca\u01cb\u01cc \u01f1\u01f2\u01f3 ' +
		'\u0399\u0345\u03b9\u1fbe \u0392\u03b2\u03d0 \u0395\u03b5\u03f5 \u0398\u03b8\u03d1 \u039a\u03ba\u03f0 ' +
		'\u03a0\u03c0\u03d6 \u03a1\u03c1\u03f1 \u03a3\u03c2\u03c3 \u03a6\u03c6\u03d5 \u0412\u0432\u1c80 ' +
		'\u0414\u0434\u1c81 \u041e\u043e\u1c82 \u0421\u0441\u1c83 \u0422\u0442\u1c84\u1c85 \u042a\u044a\u1c86 ' +
		'\u0462\u0463\u1c87 \ua64a\u1c88\ua64b \u1e60\u1e61\u1e9b').split(' ');

	function canonical(ch) {
		var u = ch.toUpperCase();
		return u.length !== 1 || (ch.charCodeAt(0) >= 128 && u.charCodeAt(0) < 128) ? ch : u;
	}

	/* The characters other than ch that equal it ignoring case. */
	function caseVariants(ch) {
		var up = canonical(ch), group = [ch, up, up.toLowerCase()];
		for (var g = 0; g < CASE_GROUPS.length; g++)
			if (CASE_GROUPS[g].indexOf(ch) >= 0)
				group = CASE_GROUPS[g].split('');
		return group.filter(function (c, k) {
			return c !== ch && group.indexOf(c) === k && canonical(c) === up;
		});
	}

	function classChar(c) {
		var code = c.charCodeAt(0);
		return code < 128 && /[\w ]/.test(c) ? c : '\\u' + (0x10000 + code).toString(16).slice(1);
	}

	/* The code unit an escape at pattern[i] (after the backslash) stands
	 * for, and where it ends; null for a class escape or a reference. */
	function escapedChar(pattern, i) {
		var c = pattern.charAt(i), m;
		var controls = { n: '\n', r: '\r', t: '\t', v: '\v', f: '\f', 0: '\0' };
		if ((m = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))/.exec(pattern.slice(i))))
			return { ch: String.fromCharCode(parseInt(m[1] || m[2], 16)), end: i + m[0].length };
		if ((m = /^c([a-zA-Z])/.exec(pattern.slice(i))))
			return { ch: String.fromCharCode(m[1].charCodeAt(0) % 32), end: i + 2 };
		if (controls[c] !== undefined && !/[0-9]/.test(pattern.charAt(i + 1)))
			return { ch: controls[c], end: i + 1 };
		if (/[a-zA-Z0-9]/.test(c))
			return null;
		return { ch: c, end: i + 1 };
	}

	/* [...] at pattern[i] under i: the letters equal to its members added. */
	function foldClass(pattern, i, node) {
		var out = '[', extra = {}, prev = null, range = false;
		function add(ch) {
			if (range && prev !== null) {
				if (ch.charCodeAt(0) - prev.charCodeAt(0) > 0x3000)
					unsupported('a case-insensitive modifier group over a class range this wide', node);
				for (var c = prev.charCodeAt(0); c <= ch.charCodeAt(0); c++)
					caseVariants(String.fromCharCode(c)).forEach(function (v) { extra[v] = true; });
				range = false;
				prev = null;
				return;
			}
			caseVariants(ch).forEach(function (v) { extra[v] = true; });
			prev = ch;
		}
		i++;
		if (pattern.charAt(i) === '^')
			out += pattern.charAt(i++);
		for (; i < pattern.length && pattern.charAt(i) !== ']'; i++) {
			var c = pattern.charAt(i);
			if (c === '\\') {
				var e = escapedChar(pattern, i + 1);
				out += pattern.slice(i, e ? e.end : i + 2);
				if (e) {
					add(e.ch);
					i = e.end - 1;
				} else {
					prev = null;
					range = false;
					i++;
				}
			} else if (c === '-' && prev !== null && pattern.charAt(i + 1) !== ']') {
				out += c;
				range = true;
			} else {
				out += c;
				add(c);
			}
		}
		return { text: out + Object.keys(extra).map(classChar).join('') + ']', end: i };
	}

	function rewriteModifiers(pattern, flags, node) {
		var toggled = '', m, groups = /\(\?([ims]*)(?:-([ims]*))?:/g;
		while ((m = groups.exec(pattern)))
			toggled += m[1] + (m[2] || '');
		if (/i/.test(toggled) && /u/.test(flags))
			unsupported('pattern modifiers with i in a regular expression with the u flag', node);
		var state = { i: /i/.test(flags), m: /m/.test(flags), s: /s/.test(flags) }, stack = [], out = '';
		for (var i = 0; i < pattern.length; i++) {
			var c = pattern.charAt(i);
			if (c === '\\') {
				var e = escapedChar(pattern, i + 1), end = e ? e.end : i + 2;
				if (!e && /[1-9k]/.test(pattern.charAt(i + 1)) && state.i && toggled.indexOf('i') >= 0)
					unsupported('backreferences in a case-insensitive pattern with modifiers', node);
				if (!e && /[pPux]/.test(pattern.charAt(i + 1)))
					end = i + 2 + (/^\{[^}]*\}/.exec(pattern.slice(i + 2)) || [''])[0].length;
				var variants = e && state.i && toggled.indexOf('i') >= 0 ? caseVariants(e.ch) : [];
				out += variants.length ? '[' + pattern.slice(i, end) + variants.map(classChar).join('') + ']'
					: pattern.slice(i, end);
				i = end - 1;
			} else if (c === '[') {
				if (state.i && toggled.indexOf('i') >= 0) {
					var folded = foldClass(pattern, i, node);
					out += folded.text;
					i = folded.end;
				} else {
					for (var j = i + 1; j < pattern.length && pattern.charAt(j) !== ']'; j++)
						j += pattern.charAt(j) === '\\' ? 1 : 0;
					out += pattern.slice(i, j + 1);
					i = j;
				}
			} else if (c === '(') {
				stack.push(state);
				groups.lastIndex = i;
				m = groups.exec(pattern);
				var prefix = /^\(\?(?:<[=!]|[=!]|<[^>]*>)/.exec(pattern.slice(i));
				if (prefix) {
					out += prefix[0];
					i += prefix[0].length - 1;
				} else if (m && m.index === i) {
					state = { i: state.i, m: state.m, s: state.s };
					m[1].split('').forEach(function (f) { state[f] = true; });
					(m[2] || '').split('').forEach(function (f) { state[f] = false; });
					out += '(?:';
					i += m[0].length - 1;
				} else {
					out += c;
				}
			} else if (c === ')') {
				state = stack.pop() || state;
				out += c;
			} else if (c === '.' && toggled.indexOf('s') >= 0) {
				out += state.s ? '[\\s\\S]' : '[^\\n\\r\\u2028\\u2029]';
			} else if (c === '^' && state.m && toggled.indexOf('m') >= 0) {
				out += '(?:^|(?<=' + LINE_END + '))';
			} else if (c === '$' && state.m && toggled.indexOf('m') >= 0) {
				out += '(?:$|(?=' + LINE_END + '))';
			} else if (state.i && toggled.indexOf('i') >= 0 && caseVariants(c).length && !/[*+?{}|]/.test(c)) {
				out += '[' + classChar(c) + caseVariants(c).map(classChar).join('') + ']';
			} else {
				out += c;
			}
		}
		return { pattern: out, flags: flags.replace(new RegExp('[' + (toggled || 'x') + ']', 'g'), '') };
	}

	/* The v flag (ES2024): a literal's pattern is rewritten as one with
	 * the u flag, which regexpu-core then makes ES5.  A class becomes the
	 * code points and strings it stands for, computed here: set notation
	 * (A&&B, A--B, nested classes), \q{a|bc} and properties of strings
	 * (\p{RGI_Emoji}) give an alternation, longest string first, then a
	 * class of the code points.  Sets are sorted [first, last + 1, ...]. */
	var ALL = [0, 0x110000];

	function union(a, b) {
		var pairs = [], out = [];
		for (var i = 0; i < a.length; i += 2)
			pairs.push([a[i], a[i + 1]]);
		for (i = 0; i < b.length; i += 2)
			pairs.push([b[i], b[i + 1]]);
		pairs.sort(function (x, y) { return x[0] - y[0]; });
		pairs.forEach(function (p) {
			if (out.length && p[0] <= out[out.length - 1])
				out[out.length - 1] = Math.max(out[out.length - 1], p[1]);
			else
				out.push(p[0], p[1]);
		});
		return out;
	}

	function complement(a) {
		var out = [], at = 0;
		for (var i = 0; i < a.length; i += 2) {
			if (a[i] > at)
				out.push(at, a[i]);
			at = a[i + 1];
		}
		if (at < 0x110000)
			out.push(at, 0x110000);
		return out;
	}

	function intersect(a, b) {
		return complement(union(complement(a), complement(b)));
	}

	function codePoints(text) {
		var out = [];
		for (var i = 0; i < text.length; i++) {
			var c = text.charCodeAt(i), d = text.charCodeAt(i + 1);
			if (c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
				out.push((c - 0xd800) * 0x400 + d - 0xdc00 + 0x10000);
				i++;
			} else {
				out.push(c);
			}
		}
		return out;
	}

	function unitsOf(cp) {
		return cp < 0x10000 ? String.fromCharCode(cp) :
			String.fromCharCode(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
	}

	/* { ranges, strings } with one-code-point strings moved to ranges. */
	function classSet(ranges, strings) {
		var single = [], many = [], seen = {};
		strings.forEach(function (s) {
			var cps = codePoints(s);
			if (cps.length === 1)
				single.push(cps[0], cps[0] + 1);
			else if (!seen['#' + s])
				many.push(s);
			seen['#' + s] = true;
		});
		return { ranges: single.length ? union(ranges, single) : ranges, strings: many };
	}

	var ESCAPE_SETS = { d: [48, 58], s: null, w: [48, 58, 65, 91, 95, 96, 97, 123] };
	ESCAPE_SETS.s = union([9, 14, 32, 33, 0xa0, 0xa1, 0x1680, 0x1681, 0x2000, 0x200b, 0x2028, 0x202a, 0x202f, 0x2030,
		0x205f, 0x2060, 0x3000, 0x3001, 0xfeff, 0xff00], []);

	/* The parser of one v-mode pattern (acorn has checked its syntax). */
	function unicodeSets(pattern) {
		var i = 0;

		/* The code point of the escape after a backslash at i, or null. */
		function escapeAt() {
			var rest = pattern.slice(i + 1), m, simple = { n: 10, r: 13, t: 9, v: 11, f: 12, b: 8, 0: 0 };
			if ((m = /^u\{([0-9a-fA-F]+)\}/.exec(rest)) || (m = /^u([0-9a-fA-F]{4})/.exec(rest)) ||
			    (m = /^x([0-9a-fA-F]{2})/.exec(rest))) {
				var cp = parseInt(m[1], 16), len = m[0].length;
				var low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(rest.slice(len));
				if (/^u[0-9a-fA-F]{4}/.test(m[0]) && cp >= 0xd800 && cp < 0xdc00 && low) {
					cp = (cp - 0xd800) * 0x400 + parseInt(low[1], 16) - 0xdc00 + 0x10000;
					len += 6;
				}
				i += 1 + len;
				return cp;
			}
			if ((m = /^c([a-zA-Z])/.exec(rest))) {
				i += 3;
				return m[1].charCodeAt(0) % 32;
			}
			var c = rest.charAt(0);
			i += 2;
			return simple[c] !== undefined ? simple[c] : c.charCodeAt(0);
		}

		/* The code point at i, stepping over it (a pair of surrogates, or
		 * one character: the engine keeps UTF-8 source text's astral
		 * characters whole). */
		function codePointAt() {
			var c = pattern.charCodeAt(i), d = pattern.charCodeAt(i + 1);
			if (c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
				i += 2;
				return (c - 0xd800) * 0x400 + d - 0xdc00 + 0x10000;
			}
			i++;
			return c;
		}

		/* A property escape at i: { ranges, strings }. */
		function property() {
			var negated = pattern.charAt(i + 1) === 'P', end = pattern.indexOf('}', i), name = pattern.slice(i + 3, end);
			i = end + 1;
			var strings = typeof __jsbUnicodeProperty === 'object' && __jsbUnicodeProperty.strings(name);
			if (strings)
				return classSet(strings.ranges, strings.strings);
			var ranges = __jsbUnicodeProperty.ranges(name);
			return { ranges: negated ? complement(ranges) : ranges, strings: [] };
		}

		/* One operand of a class at i: a code point (with a range after
		 * it), a class escape, a nested class, \q{...} or a property. */
		function operand() {
			var c = pattern.charAt(i), first;
			if (c === '[')
				return nested();
			if (c === '\\') {
				var e = pattern.charAt(i + 1);
				if (e === 'q') {
					var strings = [], text = '';
					i += 3;
					while (i < pattern.length && pattern.charAt(i) !== '}') {
						if (pattern.charAt(i) === '|') {
							strings.push(text);
							text = '';
							i++;
						} else {
							text += pattern.charAt(i) === '\\' ? unitsOf(escapeAt()) : pattern.charAt(i++);
						}
					}
					strings.push(text);
					i++;
					return classSet([], strings);
				}
				if (e === 'p' || e === 'P')
					return property();
				var lower = e.toLowerCase();
				if (ESCAPE_SETS[lower]) {
					i += 2;
					return { ranges: e === lower ? ESCAPE_SETS[lower] : complement(ESCAPE_SETS[lower]), strings: [] };
				}
				first = escapeAt();
			} else {
				first = codePointAt();
			}
			if (pattern.charAt(i) === '-' && pattern.charAt(i + 1) !== '-') {
				i++;
				var last;
				if (pattern.charAt(i) === '\\') {
					last = escapeAt();
				} else {
					last = codePointAt();
				}
				return { ranges: [first, last + 1], strings: [] };
			}
			return { ranges: [first, first + 1], strings: [] };
		}

		/* [...] at i: its operands joined by union, && or --. */
		function nested() {
			i++;
			var negated = pattern.charAt(i) === '^';
			if (negated)
				i++;
			var set = { ranges: [], strings: [] }, op = null, firstOperand = true;
			while (i < pattern.length && pattern.charAt(i) !== ']') {
				if (pattern.substr(i, 2) === '&&' || pattern.substr(i, 2) === '--') {
					op = pattern.substr(i, 2);
					i += 2;
					continue;
				}
				var next = operand();
				if (firstOperand)
					set = next;
				else if (op === '&&')
					set = { ranges: intersect(set.ranges, next.ranges),
					        strings: set.strings.filter(function (s) { return next.strings.indexOf(s) >= 0; }) };
				else if (op === '--')
					set = { ranges: intersect(set.ranges, complement(next.ranges)),
					        strings: set.strings.filter(function (s) { return next.strings.indexOf(s) < 0; }) };
				else
					set = classSet(union(set.ranges, next.ranges), set.strings.concat(next.strings));
				firstOperand = false;
			}
			i++;
			return negated ? { ranges: complement(set.ranges), strings: [] } : set;
		}

		function hex(cp) {
			return '\\u{' + cp.toString(16) + '}';
		}

		/* A set as u-mode pattern text. */
		function text(set) {
			var cls = '[';
			for (var k = 0; k < set.ranges.length; k += 2)
				cls += set.ranges[k + 1] - set.ranges[k] === 1 ? hex(set.ranges[k]) :
					hex(set.ranges[k]) + '-' + hex(set.ranges[k + 1] - 1);
			cls += ']';
			if (!set.strings.length)
				return cls;
			/* Longest first; as the characters themselves, which make a
			 * shorter pattern for regexpu-core to read than escapes. */
			var alts = set.strings.map(function (s) {
				return { cps: codePoints(s), text: s };
			}).sort(function (a, b) {
				return b.cps.length - a.cps.length;
			}).map(function (s) {
				return s.cps.map(function (cp) {
					return cp < 0x20 || (cp >= 0x2028 && cp <= 0x2029) || (cp >= 0xd800 && cp < 0xe000) ? hex(cp) :
						/[\\^$.*+?()[\]{}|\/-]/.test(unitsOf(cp)) ? '\\' + unitsOf(cp) : unitsOf(cp);
				}).join('');
			});
			return '(?:' + alts.join('|') + (set.ranges.length ? '|' + cls : '') + ')';
		}

		var out = '';
		while (i < pattern.length) {
			var c = pattern.charAt(i);
			if (c === '[') {
				out += text(nested());
			} else if (c === '\\' && /[pP]/.test(pattern.charAt(i + 1))) {
				var start = i, set = property();
				out += set.strings.length ? text(set) : pattern.slice(start, i);
			} else if (c === '\\') {
				var m = /^\\(?:u\{[0-9a-fA-F]+\}|k<[^>]*>|c[a-zA-Z]|.)/.exec(pattern.slice(i));
				out += m[0];
				i += m[0].length;
			} else {
				out += c;
				i++;
			}
		}
		return out;
	}

	/* A literal with modifiers or the v flag: rewritten, then as Bublé
	 * does (the u flag). */
	var regexLiteralTranspile = types.Literal.prototype.transpile;
	types.Literal.prototype.transpile = function (code, transforms) {
		if (this.regex && /v/.test(this.regex.flags))
			this.regex = { pattern: unicodeSets(this.regex.pattern), flags: this.regex.flags.replace('v', 'u') };
		if (!this.regex || !/\(\?(?:[ims]+(?:-[ims]*)?|-[ims]+):/.test(this.regex.pattern))
			return regexLiteralTranspile.call(this, code, transforms);
		this.regex = rewriteModifiers(this.regex.pattern, this.regex.flags, this);
		if (/u/.test(this.regex.flags))
			return regexLiteralTranspile.call(this, code, transforms);
		code.overwrite(this.start, this.end, '/' + this.regex.pattern + '/' + this.regex.flags);
	};

	var Call = types.CallExpression;
	var callInitialise = Call.prototype.initialise, callTranspile = Call.prototype.transpile;
	Call.prototype.initialise = function (transforms) {
		(this.jsbSpread ? Node.prototype.initialise : callInitialise).call(this, transforms);
	};
	Call.prototype.transpile = function (code, transforms) {
		(this.jsbSpread ? Node.prototype.transpile : callTranspile).call(this, code, transforms);
	};

	/* import.meta has no ES5 form (new.target passes: Duktape has it). */
	var MetaProperty = subclass({
		initialise: function (transforms) {
			if (this.meta.name === 'import')
				unsupported('import.meta expressions', this);
			Node.prototype.initialise.call(this, transforms);
		}
	});

	types.ChainExpression = ChainExpression;
	types.MetaProperty = MetaProperty;
	types.LogicalExpression = LogicalExpression;
	/* acorn's import() node; Bublé's own came from a parser plugin. */
	types.ImportExpression = types.Import;

	/* Whether the parsed source has a generator, an async function or an
	 * await (__jsbGenerates.found, reset by the host for each source): only
	 * then does the host load the generator transform.  Read from the
	 * syntax tree, so the words in strings, comments or property names cost
	 * nothing. */
	['FunctionExpression', 'FunctionDeclaration', 'ArrowFunctionExpression', 'AwaitExpression']
	    .forEach(function(name) {
		    var T = types[name], init = T.prototype.initialise;
		    T.prototype.initialise = function(transforms) {
			    if (this.generator || this.async || this.type === 'AwaitExpression')
				    __jsbGenerates.found = true;
			    init.call(this, transforms);
		    };
	    });
}
