/* The well-known symbols Duktape 2.7 lacks (match, replace, search, split)
 * and a Proxy with every trap, installed into the sandbox heap after the
 * main polyfills, each part only when a script names it.  Runs as script
 * code; must hand script code nothing but what it passed in. */
(function (G, SLOT, part) {
	'use strict';
	var O = Object, OP = O.prototype, AP = Array.prototype, SP = String.prototype, RP = RegExp.prototype;
	var TAG = Symbol.toStringTag, SPECIES = Symbol.species;
	function setName(f, name) {
		O.defineProperty(f, 'name', { value: name, configurable: true });
		return f;
	}
	/* Replaces a built-in method, keeping its attributes, name and length. */
	function wrap(o, name, f, length) {
		setName(f, typeof name === 'string' ? name : '[' + String(name).slice(7, -1) + ']');
		O.defineProperty(f, 'length', { value: length, configurable: true });
		O.defineProperty(o, name, { value: f, writable: true, configurable: true, enumerable: false });
	}
	function isObject(v) {
		return v !== null && (typeof v === 'object' || typeof v === 'function');
	}
	function toInt(v) {
		v = Number(v);
		return v !== v ? 0 : v === Infinity || v === -Infinity ? v : (v < 0 ? -Math.floor(-v) : Math.floor(v)) || 0;
	}
	function toLength(v) {
		v = toInt(v);
		return v < 0 ? 0 : Math.min(v, 9007199254740991);
	}
	function wellKnown(name) {
		if (!Symbol[name])
			O.defineProperty(Symbol, name, { value: Symbol('Symbol.' + name) });
		return Symbol[name];
	}

	/* Symbol.match, replace, search and split: String.prototype's methods
	 * hand an object argument to its method under the symbol; a RegExp whose
	 * method and exec are the built-ins goes straight to Duktape's. */
	function symbols() {
		var MATCH = wellKnown('match'), REPLACE = wellKnown('replace'), SEARCH = wellKnown('search'),
		    SPLIT = wellKnown('split'), SPREAD = Symbol.isConcatSpreadable;
		var NativeRegExp = RegExp, exec = RP.exec, toStr = OP.toString;
		var str = { match: SP.match, replace: SP.replace, search: SP.search, split: SP.split };
		function anObject(v, what) {
			if (!isObject(v)) throw new TypeError(what + ' called on a non-object');
			return v;
		}
		function coercible(v, what) {
			if (v == null) throw new TypeError('String.prototype.' + what + ' called on null or undefined');
			return v;
		}
		/* RegExpExec: the object's own exec when it has one. */
		function regExpExec(rx, s) {
			var f = rx.exec;
			if (typeof f === 'function') {
				var r = f.call(rx, s);
				if (r !== null && !isObject(r)) throw new TypeError('exec result must be an object or null');
				return r;
			}
			return exec.call(rx, s);
		}
		function advance(s, i, unicode) {
			if (!unicode || i + 1 >= s.length) return i + 1;
			var c = s.charCodeAt(i), d = s.charCodeAt(i + 1);
			return c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000 ? i + 2 : i + 1;
		}
		/* GetSubstitution: $$, $&, $`, $', $n, $nn and $<name>. */
		function substitute(matched, s, pos, caps, groups, tpl) {
			var tail = pos + matched.length, m = caps.length;
			return tpl.replace(/\$([$&`']|\d\d?|<[^>]*>)/g, function (all, c) {
				if (c === '$') return '$';
				if (c === '&') return matched;
				if (c === '`') return s.slice(0, pos);
				if (c === "'") return s.slice(tail);
				if (c.charAt(0) === '<') {
					if (groups === undefined) return all;
					var g = O(groups)[c.slice(1, -1)];
					return g === undefined ? '' : String(g);
				}
				var n = +c;
				if (c.length === 2 && (n < 1 || n > m)) {
					n = +c.charAt(0);
					if (n >= 1 && n <= m) return (caps[n - 1] === undefined ? '' : caps[n - 1]) + c.charAt(1);
					return all;
				}
				if (n < 1 || n > m) return all;
				return caps[n - 1] === undefined ? '' : caps[n - 1];
			});
		}
		var methods = {};
		methods[MATCH] = function (s) {
			var rx = anObject(this, 'RegExp.prototype[Symbol.match]');
			s = String(s);
			if (!rx.global) return regExpExec(rx, s);
			var unicode = !!rx.unicode, out = [], m;
			rx.lastIndex = 0;
			while ((m = regExpExec(rx, s)) !== null) {
				var t = String(m[0]);
				out.push(t);
				if (t === '') rx.lastIndex = advance(s, toLength(rx.lastIndex), unicode);
			}
			return out.length ? out : null;
		};
		methods[REPLACE] = function (s, rv) {
			var rx = anObject(this, 'RegExp.prototype[Symbol.replace]');
			s = String(s);
			var fn = typeof rv === 'function', global = !!rx.global, unicode, found = [], r;
			if (!fn) rv = String(rv);
			if (global) {
				unicode = !!rx.unicode;
				rx.lastIndex = 0;
			}
			while ((r = regExpExec(rx, s)) !== null) {
				found.push(r);
				if (!global) break;
				if (String(r[0]) === '') rx.lastIndex = advance(s, toLength(rx.lastIndex), unicode);
			}
			var out = '', next = 0;
			for (var i = 0; i < found.length; i++) {
				r = found[i];
				var n = Math.max(toLength(r.length) - 1, 0), matched = String(r[0]);
				var pos = Math.max(Math.min(toInt(r.index), s.length), 0), caps = [];
				for (var j = 1; j <= n; j++) caps.push(r[j] === undefined ? undefined : String(r[j]));
				var groups = r.groups, repl;
				if (fn) {
					var args = [matched].concat(caps, [pos, s]);
					if (groups !== undefined) args.push(groups);
					repl = String(rv.apply(undefined, args));
				} else {
					repl = substitute(matched, s, pos, caps, groups, rv);
				}
				if (pos >= next) {
					out += s.slice(next, pos) + repl;
					next = pos + matched.length;
				}
			}
			return next >= s.length ? out : out + s.slice(next);
		};
		methods[SEARCH] = function (s) {
			var rx = anObject(this, 'RegExp.prototype[Symbol.search]');
			s = String(s);
			var last = rx.lastIndex;
			if (!O.is(last, 0)) rx.lastIndex = 0;
			var r = regExpExec(rx, s);
			if (!O.is(rx.lastIndex, last)) rx.lastIndex = last;
			return r === null ? -1 : r.index;
		};
		/* A search from q finds the next place a sticky match from q would
		 * (Duktape has no y flag), so the splitter is made global unless it
		 * comes from a user's species constructor. */
		methods[SPLIT] = function (s, limit) {
			var rx = anObject(this, 'RegExp.prototype[Symbol.split]');
			s = String(s);
			var C = rx.constructor;
			if (C === undefined) C = NativeRegExp;
			else if (!isObject(C)) throw new TypeError('constructor is not an object');
			else if ((C = C[SPECIES]) == null) C = NativeRegExp;
			var flags = String(rx.flags), unicode = flags.indexOf('u') >= 0;
			var own = C === NativeRegExp || C === G.RegExp, splitter;
			if (own) splitter = new C(rx, flags.replace('y', '').indexOf('g') < 0 ? flags.replace('y', '') + 'g' : flags.replace('y', ''));
			else splitter = new C(rx, flags.indexOf('y') < 0 ? flags + 'y' : flags);
			var out = [], lim = limit === undefined ? 4294967295 : limit >>> 0, size = s.length, p = 0, q = 0, z;
			if (lim === 0) return out;
			if (size === 0) return regExpExec(splitter, s) !== null ? out : [s];
			while (q < size) {
				splitter.lastIndex = q;
				z = regExpExec(splitter, s);
				if (z === null) {
					if (own) break;
					q = advance(s, q, unicode);
					continue;
				}
				if (own) {
					q = toInt(z.index);
					if (q >= size) break;
				}
				var e = Math.min(toLength(splitter.lastIndex), size);
				if (e === p) {
					q = advance(s, q, unicode);
					continue;
				}
				out.push(s.slice(p, q));
				if (out.length === lim) return out;
				p = e;
				var n = Math.max(toLength(z.length) - 1, 0);
				for (var i = 1; i <= n; i++) {
					out.push(z[i]);
					if (out.length === lim) return out;
				}
				q = p;
			}
			out.push(s.slice(p));
			return out;
		};
		[[MATCH, 'match', 1], [REPLACE, 'replace', 2], [SEARCH, 'search', 1], [SPLIT, 'split', 2]].forEach(function (m) {
			var sym = m[0], name = m[1], native = str[name], own = methods[sym];
			if (RP[sym] === undefined) wrap(RP, sym, own, m[2]);
			own = RP[sym];
			wrap(SP, name, function (arg, more) {
				coercible(this, name);
				if (isObject(arg)) {
					var f = arg[sym];
					if (f != null && (f !== own || arg.exec !== exec))
						return f.call(arg, this, more);
				}
				return native.call(this, arg, more);
			}, m[2]);
		});
		/* IsRegExp: Symbol.match decides, else being a RegExp. */
		function isRegExp(v) {
			if (!isObject(v)) return false;
			var m = v[MATCH];
			return m !== undefined ? !!m : toStr.call(v) === '[object RegExp]';
		}
		['startsWith', 'endsWith', 'includes'].forEach(function (name) {
			var native = SP[name];
			if (typeof native !== 'function') return;
			wrap(SP, name, function (search, pos) {
				if (isObject(search)) {
					if (isRegExp(search)) throw new TypeError('First argument to String.prototype.' + name + ' must not be a regular expression');
					search = String(search);
				}
				return native.call(this, search, pos);
			}, 1);
		});

		/* Object.prototype.toString: Duktape ignores Symbol.toStringTag on
		 * arrays only. */
		wrap(OP, 'toString', function () {
			if (Array.isArray(this)) {
				var t = this[TAG];
				if (typeof t === 'string') return '[object ' + t + ']';
			}
			return toStr.call(this);
		}, 0);

		/* Array.prototype.concat: Duktape stops at a spreadable object whose
		 * length is past the array limit before reading any element. */
		var concat = AP.concat;
		function huge(v) {
			return isObject(v) && !Array.isArray(v) && v[SPREAD] && toLength(v.length) > 4294967295;
		}
		wrap(AP, 'concat', function () {
			var i = 0, items;
			if (!huge(this))
				for (; i < arguments.length && !huge(arguments[i]); i++);
			if (i === arguments.length)
				return concat.apply(this, arguments);
			items = [O(this)];
			for (i = 0; i < arguments.length; i++) items.push(arguments[i]);
			return spreadAll(items);
		}, 1);
		function spreadAll(items) {
			var out = [], n = 0;
			items.forEach(function (e) {
				var s = isObject(e) ? e[SPREAD] : undefined;
				if (s !== undefined ? !s : !Array.isArray(e)) {
					out[n++] = e;
					return;
				}
				var len = toLength(e.length);
				if (n + len > 9007199254740991) throw new TypeError('Array too long');
				for (var k = 0; k < len; k++, n++) {
					if (k in e) {
						if (n >= 4294967295) throw new RangeError('Invalid array length');
						out[n] = e[k];
					}
				}
			});
			out.length = n;
			return out;
		}
	}

	if (part === 'symbols')
		symbols();
})
