/* What Duktape 2.7 lacks of the well-known symbols (match, replace, search
 * and split; toStringTag on arrays; isConcatSpreadable past the array
 * limit) and a Proxy with every trap: one part at a time, each installed
 * into the sandbox heap after the main polyfills only when a script names
 * it.  Runs as script code; must hand script code nothing of its own. */
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
		    SPLIT = wellKnown('split');
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
			var plain = flags.replace('y', '');
			if (own) splitter = new C(rx, plain.indexOf('g') < 0 ? plain + 'g' : plain);
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
		/* split also goes to the engine only while the RegExp's constructor
		 * (and so its species) is the built-in one. */
		[[MATCH, 'match', 1], [REPLACE, 'replace', 2], [SEARCH, 'search', 1], [SPLIT, 'split', 2]].forEach(function (m) {
			var sym = m[0], name = m[1], native = str[name], own = methods[sym], anyCtor = sym !== SPLIT;
			if (RP[sym] === undefined) wrap(RP, sym, own, m[2]);
			own = RP[sym];
			wrap(SP, name, function (arg, more) {
				if (this == null) coercible(this, name);
				if (arg !== null && (typeof arg === 'object' || typeof arg === 'function')) {
					var f = arg[sym];
					if (f != null && (f !== own || arg.exec !== exec ||
					                  !anyCtor && arg.constructor !== NativeRegExp && arg.constructor !== G.RegExp))
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
				if (search !== null && (typeof search === 'object' || typeof search === 'function')) {
					if (isRegExp(search)) throw new TypeError('First argument to String.prototype.' + name + ' must not be a regular expression');
					search = String(search);
				}
				return native.call(this, search, pos);
			}, 1);
		});

	}

	/* Object.prototype.toString: Duktape ignores Symbol.toStringTag on
	 * arrays only. */
	function tag() {
		var toStr = OP.toString, isArray = Array.isArray;
		wrap(OP, 'toString', function () {
			if (isArray(this)) {
				var t = this[TAG];
				if (typeof t === 'string') return '[object ' + t + ']';
			}
			return toStr.call(this);
		}, 0);
	}

	/* Array.prototype.concat: Duktape stops at a spreadable object whose
	 * length is past the array limit before reading any element. */
	function spread() {
		var SPREAD = Symbol.isConcatSpreadable, concat = AP.concat;
		var isArray = Array.isArray;
		wrap(AP, 'concat', function () {
			var n = arguments.length, i = -1, v = this, items;
			for (;;) {
				if (v !== null && typeof v === 'object' && v[SPREAD] && !isArray(v) && toLength(v.length) > 4294967295)
					break;
				if (++i === n) return concat.apply(this, arguments);
				v = arguments[i];
			}
			items = [O(this)];
			for (i = 0; i < n; i++) items.push(arguments[i]);
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

	/* Proxy: Duktape's traps only get, set, has, deleteProperty, ownKeys,
	 * apply and construct, checks few invariants, and lets Object.* see
	 * through to the proxy object itself.  Each proxy here is a native one
	 * over a shadow (an empty object, array or function of the target's
	 * kind) with one handler, M, whose traps run the user's handler against
	 * the real target with the spec's checks; the shadow keeps the target
	 * and handler under SLOT, a hidden symbol: Duktape hands hidden keys to
	 * no trap, script code cannot name them, and nothing here gives script
	 * code a shadow or M.  Object's and Reflect's functions that Duktape does
	 * not trap look for the record first.  Not handled: a proxy in a
	 * prototype chain (Duktape's lookups stop there) and instanceof. */
	function proxies() {
		var NativeProxy = G.Proxy, R = G.Reflect;
		var n = {
			getProto: O.getPrototypeOf, setProto: R.setPrototypeOf, isExt: R.isExtensible,
			prevent: R.preventExtensions, gopd: O.getOwnPropertyDescriptor, define: R.defineProperty,
			ownKeys: R.ownKeys, del: R.deleteProperty, apply: R.apply, create: O.create
		};
		function fail(msg) {
			throw new TypeError('proxy: ' + msg);
		}
		/* The record of one of these proxies, or undefined: a hidden key read
		 * runs no trap and no getter, and only a proxy has no prototype of
		 * its own while reaching a shadow. */
		function recOf(o) {
			if (!isObject(o)) return undefined;
			var r = o[SLOT];
			return r !== undefined && n.getProto(o) === null ? r : undefined;
		}
		function handlerOf(rec) {
			if (rec.h === null) fail('operation on a revoked proxy');
			return rec.h;
		}
		function trapOf(h, name) {
			var f = h[name];
			if (f == null) return undefined;
			if (typeof f !== 'function') fail("the '" + name + "' trap is not a function");
			return f;
		}
		function toKey(k) {
			return typeof k === 'symbol' ? k : String(k);
		}
		function isAccessor(d) {
			return 'get' in d || 'set' in d;
		}
		/* ToPropertyDescriptor: a record of the fields present. */
		function toDesc(o) {
			if (!isObject(o)) throw new TypeError('Property description must be an object');
			var d = {};
			if ('enumerable' in o) d.enumerable = !!o.enumerable;
			if ('configurable' in o) d.configurable = !!o.configurable;
			if ('value' in o) d.value = o.value;
			if ('writable' in o) d.writable = !!o.writable;
			['get', 'set'].forEach(function (k) {
				if (!(k in o)) return;
				var f = o[k];
				if (f !== undefined && typeof f !== 'function') throw new TypeError('Property descriptor ' + k + ' must be a function');
				d[k] = f;
			});
			if (isAccessor(d) && ('value' in d || 'writable' in d))
				throw new TypeError('Invalid property descriptor: both accessors and a value or writable attribute');
			return d;
		}
		/* FromPropertyDescriptor: a fresh object for the script. */
		function fromDesc(d) {
			var o = {};
			['value', 'writable', 'get', 'set', 'enumerable', 'configurable'].forEach(function (k) {
				if (k in d) o[k] = d[k];
			});
			return o;
		}
		function complete(d) {
			var c = isAccessor(d) ? { get: d.get, set: d.set } : { value: d.value, writable: !!d.writable };
			c.enumerable = !!d.enumerable;
			c.configurable = !!d.configurable;
			return c;
		}
		/* IsCompatiblePropertyDescriptor: whether defining d over cur (a
		 * complete descriptor or undefined) would succeed. */
		function compatible(ext, d, cur) {
			if (cur === undefined) return ext;
			if (!cur.configurable) {
				if (d.configurable) return false;
				if ('enumerable' in d && d.enumerable !== cur.enumerable) return false;
			}
			var acc = isAccessor(d);
			if (!acc && !('value' in d || 'writable' in d)) return true;
			if (acc !== isAccessor(cur)) return cur.configurable;
			if (cur.configurable) return true;
			if (!acc)
				return cur.writable || (!d.writable && (!('value' in d) || O.is(d.value, cur.value)));
			return (!('get' in d) || d.get === cur.get) && (!('set' in d) || d.set === cur.set);
		}

		/* The internal methods, for any object. */
		function getProto(o) { var r = recOf(o); return r ? pGetProto(r) : n.getProto(o); }
		function setProto(o, v) { var r = recOf(o); return r ? pSetProto(r, v) : n.setProto(o, v); }
		function isExt(o) { var r = recOf(o); return r ? pIsExt(r) : n.isExt(o); }
		function prevent(o) { var r = recOf(o); return r ? pPrevent(r) : n.prevent(o); }
		function getOwn(o, k) { var r = recOf(o); return r ? pGetOwn(r, k) : n.gopd(o, k); }
		function define(o, k, d) { var r = recOf(o); return r ? pDefine(r, k, d) : n.define(o, k, d); }
		function ownKeys(o) { var r = recOf(o); return r ? pOwnKeys(r) : n.ownKeys(o); }
		function get(o, k, recv) {
			if (recv === o) return o[k];
			var r = recOf(o);
			if (r) return pGet(r, k, recv);
			var d = n.gopd(o, k);
			if (d === undefined) {
				var p = getProto(o);
				return p === null ? undefined : get(p, k, recv);
			}
			if (!isAccessor(d)) return d.value;
			return d.get === undefined ? undefined : d.get.call(recv);
		}
		/* OrdinarySet with a receiver; Duktape's assignment when there is
		 * none. */
		function set(o, k, v, recv) {
			var r = recOf(o);
			if (r) return pSet(r, k, v, recv);
			if (recv === o && recOf(recv) === undefined) {
				try {
					o[k] = v;
					return true;
				} catch (e) {
					if (e instanceof TypeError) return false;
					throw e;
				}
			}
			var d = n.gopd(o, k);
			if (d === undefined) {
				var p = getProto(o);
				if (p !== null) return set(p, k, v, recv);
				d = { value: undefined, writable: true };
			}
			if (isAccessor(d)) {
				if (d.set === undefined) return false;
				d.set.call(recv, v);
				return true;
			}
			if (!d.writable || !isObject(recv)) return false;
			var e = getOwn(recv, k);
			if (e === undefined) return define(recv, k, { value: v, writable: true, enumerable: true, configurable: true });
			if (isAccessor(e) || !e.writable) return false;
			return define(recv, k, { value: v });
		}

		/* A proxy's internal methods, with the invariants of ES2015-2020. */
		function pGetProto(rec) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'getPrototypeOf');
			if (!f) return getProto(t);
			var v = f.call(h, t);
			if (v !== null && !isObject(v)) fail('getPrototypeOf trap returned neither an object nor null');
			if (!isExt(t) && v !== getProto(t)) fail("getPrototypeOf trap result differs from the non-extensible target's prototype");
			return v;
		}
		function pSetProto(rec, v) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'setPrototypeOf');
			if (!f) return setProto(t, v);
			if (!f.call(h, t, v)) return false;
			if (!isExt(t) && v !== getProto(t)) fail("setPrototypeOf trap changed a non-extensible target's prototype");
			return true;
		}
		function pIsExt(rec) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'isExtensible');
			if (!f) return isExt(t);
			var b = !!f.call(h, t);
			if (b !== isExt(t)) fail('isExtensible trap result differs from the target');
			return b;
		}
		function pPrevent(rec) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'preventExtensions');
			if (!f) return prevent(t);
			var b = !!f.call(h, t);
			if (b && isExt(t)) fail('preventExtensions trap returned true but the target is extensible');
			return b;
		}
		function pGetOwn(rec, k) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'getOwnPropertyDescriptor');
			if (!f) return getOwn(t, k);
			var res = f.call(h, t, k);
			if (res !== undefined && !isObject(res)) fail('getOwnPropertyDescriptor trap returned neither an object nor undefined');
			var cur = getOwn(t, k);
			if (res === undefined) {
				if (cur === undefined) return undefined;
				if (!cur.configurable) fail("getOwnPropertyDescriptor trap hid the target's non-configurable property '" + String(k) + "'");
				if (!isExt(t)) fail("getOwnPropertyDescriptor trap hid a property of the non-extensible target");
				return undefined;
			}
			var d = complete(toDesc(res));
			if (!compatible(isExt(t), d, cur)) fail("getOwnPropertyDescriptor trap result is incompatible with the target's property '" + String(k) + "'");
			if (!d.configurable) {
				if (cur === undefined || cur.configurable) fail("getOwnPropertyDescriptor trap reported '" + String(k) + "' as non-configurable");
				if ('writable' in d && !d.writable && cur.writable) fail("getOwnPropertyDescriptor trap reported '" + String(k) + "' as non-writable");
			}
			return d;
		}
		function pDefine(rec, k, d) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'defineProperty');
			if (!f) return define(t, k, d);
			if (!f.call(h, t, k, fromDesc(d))) return false;
			var cur = getOwn(t, k), ext = isExt(t), nonConf = 'configurable' in d && !d.configurable;
			if (cur === undefined) {
				if (!ext) fail("defineProperty trap added '" + String(k) + "' to a non-extensible target");
				if (nonConf) fail("defineProperty trap defined '" + String(k) + "' as non-configurable, which the target lacks");
			} else {
				if (!compatible(ext, d, cur)) fail("defineProperty trap result is incompatible with the target's property '" + String(k) + "'");
				if (nonConf && cur.configurable) fail("defineProperty trap defined '" + String(k) + "' as non-configurable, but the target's is configurable");
				if (!isAccessor(cur) && !cur.configurable && cur.writable && 'writable' in d && !d.writable)
					fail("defineProperty trap made '" + String(k) + "' non-writable, but the target's is writable");
			}
			return true;
		}
		function pHas(rec, k) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'has');
			if (!f) return k in t;
			var b = !!f.call(h, t, k);
			if (!b) {
				var cur = getOwn(t, k);
				if (cur !== undefined && (!cur.configurable || !isExt(t)))
					fail("has trap hid the target's property '" + String(k) + "'");
			}
			return b;
		}
		function pGet(rec, k, recv) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'get');
			if (!f) return get(t, k, recv);
			var v = f.call(h, t, k, recv), cur = getOwn(t, k);
			if (cur !== undefined && !cur.configurable) {
				if (isAccessor(cur) ? cur.get === undefined && v !== undefined : !cur.writable && !O.is(v, cur.value))
					fail("get trap result differs from the target's non-configurable property '" + String(k) + "'");
			}
			return v;
		}
		function pSet(rec, k, v, recv) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'set');
			if (!f) return set(t, k, v, recv);
			if (!f.call(h, t, k, v, recv)) return false;
			var cur = getOwn(t, k);
			if (cur !== undefined && !cur.configurable) {
				if (isAccessor(cur) ? cur.set === undefined : !cur.writable && !O.is(v, cur.value))
					fail("set trap changed the target's non-configurable property '" + String(k) + "'");
			}
			return true;
		}
		function pDelete(rec, k) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'deleteProperty');
			if (!f) return n.del(t, k);
			if (!f.call(h, t, k)) return false;
			var cur = getOwn(t, k);
			if (cur !== undefined && (!cur.configurable || !isExt(t)))
				fail("deleteProperty trap reported the target's property '" + String(k) + "' as deleted");
			return true;
		}
		function pOwnKeys(rec) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'ownKeys');
			if (!f) return ownKeys(t);
			var a = f.call(h, t);
			if (!isObject(a)) fail('ownKeys trap result is not an object');
			var keys = [], seen = n.create(null), len = toLength(a.length);
			for (var i = 0; i < len; i++) {
				var k = a[i];
				if (typeof k !== 'string' && typeof k !== 'symbol') fail('ownKeys trap result holds ' + typeof k + ', not a string or symbol');
				if (seen[k]) fail("ownKeys trap result holds '" + String(k) + "' twice");
				seen[k] = true;
				keys.push(k);
			}
			var ext = isExt(t), left = keys.length;
			ownKeys(t).forEach(function (k) {
				var cur = getOwn(t, k);
				if (ext && (cur === undefined || cur.configurable)) return;
				if (seen[k] !== true) fail("ownKeys trap result lacks the target's " + (ext ? 'non-configurable ' : '') + "property '" + String(k) + "'");
				seen[k] = false;
				left--;
			});
			if (!ext && left) fail('ownKeys trap result adds keys to a non-extensible target');
			return keys;
		}
		function pApply(rec, self, args) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'apply');
			if (!f) return n.apply(t, self, args);
			return f.call(h, t, self, AP.slice.call(args));
		}
		function pConstruct(rec, args, nt) {
			var h = handlerOf(rec), t = rec.t, f = trapOf(h, 'construct');
			if (!f) return G.Reflect.construct(t, args, nt);
			var o = f.call(h, t, AP.slice.call(args), nt);
			if (!isObject(o)) fail('construct trap returned a non-object');
			return o;
		}
		/* Duktape's for-in and JSON.stringify keep the keys that are
		 * enumerable on the shadow: it gets the enumerable ones. */
		function showKeys(sh, rec, keys) {
			var shown = rec.shown;
			for (var i = 0; shown && i < shown.length; i++) delete sh[shown[i]];
			rec.shown = shown = [];
			keys.forEach(function (k) {
				var d = pGetOwn(rec, k);
				if (d && d.enumerable && n.gopd(sh, k) === undefined) {
					n.define(sh, k, { value: undefined, writable: true, enumerable: true, configurable: true });
					shown.push(k);
				}
			});
		}
		var M = {
			get: function (sh, k, recv) { return pGet(sh[SLOT], k, recv); },
			set: function (sh, k, v, recv) { return pSet(sh[SLOT], k, v, recv); },
			has: function (sh, k) { return pHas(sh[SLOT], k); },
			deleteProperty: function (sh, k) { return pDelete(sh[SLOT], k); },
			ownKeys: function (sh) {
				var rec = sh[SLOT], keys = pOwnKeys(rec);
				showKeys(sh, rec, keys);
				return keys;
			},
			apply: function (sh, self, args) { return pApply(sh[SLOT], self, args); },
			construct: function (sh, args, nt) { return pConstruct(sh[SLOT], args, nt); }
		};
		function make(t, h) {
			if (!isObject(t) || !isObject(h)) throw new TypeError('Cannot create proxy with a non-object as target or handler');
			var sh, r = recOf(t), base = r !== undefined ? r.b : t;
			if (typeof t === 'function') {
				sh = function () {};
				delete sh.length;
			} else {
				sh = Array.isArray(t) ? [] : {};
			}
			/* instanceof walks the shadow's prototypes: those of the innermost
			 * target (b), as they are now (no trap runs here). */
			var proto = base !== null ? n.getProto(base) : null;
			if (n.getProto(sh) !== proto) n.setProto(sh, proto);
			sh[SLOT] = { t: t, h: h, b: base, shown: null };
			return new NativeProxy(sh, M);
		}
		var Proxy = function Proxy(target, handler) {
			if (new.target === undefined) throw new TypeError("Constructor Proxy requires 'new'");
			return make(target, handler);
		}.bind();
		setName(Proxy, 'Proxy');
		delete Proxy.fileName;
		O.defineProperty(Proxy, 'revocable', {
			value: setName(function revocable(target, handler) {
				var p = make(target, handler), rec = p[SLOT];
				var revoke = setName(function () { rec.t = rec.h = rec.b = null; }, '');
				return { proxy: p, revoke: revoke };
			}, 'revocable'), writable: true, configurable: true
		});
		O.defineProperty(G, 'Proxy', { value: Proxy, writable: true, configurable: true });

		/* Object's and Reflect's functions. */
		function ok(b, what) {
			if (!b) fail(what + ' failed');
		}
		function keysOf(o, strings, symbols, enumerable) {
			return ownKeys(o).filter(function (k) {
				if (typeof k === 'string' ? !strings : !symbols) return false;
				if (!enumerable) return true;
				var d = getOwn(o, k);
				return d !== undefined && d.enumerable;
			});
		}
		function defineAll(o, props) {
			props = O(props);
			var ds = keysOf(props, true, true, true).map(function (k) { return [k, toDesc(get(props, k, props))]; });
			ds.forEach(function (kd) { ok(define(o, kd[0], kd[1]), 'defineProperty'); });
			return o;
		}
		function setLevel(o, frozen) {
			ok(prevent(o), 'preventExtensions');
			ownKeys(o).forEach(function (k) {
				var d = { configurable: false };
				if (frozen) {
					var cur = getOwn(o, k);
					if (cur === undefined) return;
					if (!isAccessor(cur)) d.writable = false;
				}
				ok(define(o, k, d), 'defineProperty');
			});
			return o;
		}
		function testLevel(o, frozen) {
			if (isExt(o)) return false;
			return ownKeys(o).every(function (k) {
				var cur = getOwn(o, k);
				return cur === undefined || !cur.configurable && !(frozen && !isAccessor(cur) && cur.writable);
			});
		}
		/* Each entry: the proxy case, called with the record and the
		 * arguments, and the length.  The test is inline: these wrap calls
		 * that plain code makes often. */
		var nGetProto = n.getProto;
		function table(on, entries) {
			Object.keys(entries).forEach(function (name) {
				var native = on[name], mine = entries[name][0];
				if (typeof native !== 'function') return;
				wrap(on, name, function (o, a, b) {
					var r = o != null ? o[SLOT] : undefined;
					if (r !== undefined && nGetProto(o) === null) return mine(r, o, a, b);
					return native(o, a, b);
				}, entries[name][1]);
			});
		}
		var objectTable = {
			getPrototypeOf: [pGetProto, 1],
			setPrototypeOf: [function (r, o, v) {
				if (v !== null && !isObject(v)) throw new TypeError('Object prototype may only be an Object or null');
				ok(pSetProto(r, v), 'setPrototypeOf');
				return o;
			}, 2],
			isExtensible: [pIsExt, 1],
			preventExtensions: [function (r, o) { ok(pPrevent(r), 'preventExtensions'); return o; }, 1],
			getOwnPropertyDescriptor: [function (r, o, k) {
				var d = pGetOwn(r, toKey(k));
				return d === undefined ? undefined : fromDesc(d);
			}, 2],
			keys: [function (r, o) { return keysOf(o, true, false, true); }, 1],
			getOwnPropertyNames: [function (r, o) { return keysOf(o, true, false, false); }, 1],
			getOwnPropertySymbols: [function (r, o) { return keysOf(o, false, true, false); }, 1],
			hasOwn: [function (r, o, k) { return pGetOwn(r, toKey(k)) !== undefined; }, 2],
			freeze: [function (r, o) { return setLevel(o, true); }, 1],
			seal: [function (r, o) { return setLevel(o, false); }, 1],
			isFrozen: [function (r, o) { return testLevel(o, true); }, 1],
			isSealed: [function (r, o) { return testLevel(o, false); }, 1]
		};
		table(O, objectTable);
		/* defineProperty and defineProperties read a descriptor that is a
		 * proxy through its traps, in the spec's order. */
		var defineProperty = O.defineProperty, defineProperties = O.defineProperties, assign = O.assign;
		wrap(O, 'defineProperty', function (o, k, attrs) {
			if ((o == null || o[SLOT] === undefined) && (attrs == null || attrs[SLOT] === undefined))
				return defineProperty(o, k, attrs);
			if (!recOf(o) && !recOf(attrs)) return defineProperty(o, k, attrs);
			if (!isObject(o)) throw new TypeError('Object.defineProperty called on non-object');
			k = toKey(k);
			ok(define(o, k, toDesc(attrs)), 'defineProperty');
			return o;
		}, 3);
		wrap(O, 'defineProperties', function (o, props) {
			if (!recOf(o) && !recOf(props)) return defineProperties(o, props);
			if (!isObject(o)) throw new TypeError('Object.defineProperties called on non-object');
			return defineAll(o, props);
		}, 2);
		var create = O.create;
		wrap(O, 'create', function (proto, props) {
			if (props === undefined || !recOf(props)) return create.apply(this, arguments);
			return defineAll(create(proto), props);
		}, 2);
		if (typeof assign === 'function') {
			wrap(O, 'assign', function (to) {
				var i, mine = recOf(to);
				for (i = 1; !mine && i < arguments.length; i++) mine = recOf(arguments[i]);
				if (!mine) return assign.apply(this, arguments);
				if (to == null) throw new TypeError('Cannot convert undefined or null to object');
				to = O(to);
				for (i = 1; i < arguments.length; i++) {
					if (arguments[i] == null) continue;
					var from = O(arguments[i]);
					keysOf(from, true, true, true).forEach(function (k) {
						ok(set(to, k, get(from, k, from), to), 'assignment to \'' + String(k) + "'");
					});
				}
				return to;
			}, 2);
		}
		var hasOwn = OP.hasOwnProperty, isEnum = OP.propertyIsEnumerable;
		wrap(OP, 'hasOwnProperty', function (k) {
			var r = this != null ? this[SLOT] : undefined;
			if (r !== undefined && nGetProto(this) === null) return pGetOwn(r, toKey(k)) !== undefined;
			return hasOwn.call(this, k);
		}, 1);
		wrap(OP, 'propertyIsEnumerable', function (k) {
			var r = recOf(this), d;
			return r ? (d = pGetOwn(r, toKey(k))) !== undefined && d.enumerable : isEnum.call(this, k);
		}, 1);
		/* __proto__ on a proxy: Duktape's accessor would give or set the
		 * proxy object's own prototype. */
		var protoDesc = n.gopd(OP, '__proto__');
		if (protoDesc && protoDesc.get && protoDesc.set) {
			n.define(OP, '__proto__', {
				get: setName(function () {
					var r = recOf(this);
					return r ? pGetProto(r) : protoDesc.get.call(this);
				}, 'get __proto__'),
				set: setName(function (v) {
					var r = recOf(this);
					if (!r) return protoDesc.set.call(this, v);
					if (v === null || isObject(v)) ok(pSetProto(r, v), 'setPrototypeOf');
				}, 'set __proto__'),
				enumerable: false, configurable: true
			});
		}
		/* Duktape's reverse, shift, unshift and splice take a successful get
		 * as the element being there, and every proxy here has a get trap:
		 * on a proxy they run as the specification says, through its traps
		 * (this code is strict: a failed set or delete throws). */
		function arraySpecies(o, n) {
			var C = Array.isArray(o) ? o.constructor : undefined;
			if (isObject(C) && (C = C[SPECIES]) === null) C = undefined;
			if (C === undefined || C === Array) return new Array(n);
			if (typeof C !== 'function') throw new TypeError('species is not a constructor');
			return new C(n);
		}
		function move(o, from, to) {
			if (from in o) o[to] = o[from];
			else delete o[to];
		}
		var generic = {
			reverse: function (o) {
				var len = toLength(o.length);
				for (var lo = 0, mid = Math.floor(len / 2); lo !== mid; lo++) {
					var up = len - lo - 1, hasLo = lo in o, vLo = hasLo ? o[lo] : undefined;
					var hasUp = up in o, vUp = hasUp ? o[up] : undefined;
					if (hasUp) o[lo] = vUp;
					else if (hasLo) delete o[lo];
					if (hasLo) o[up] = vLo;
					else if (hasUp) delete o[up];
				}
				return o;
			},
			shift: function (o) {
				var len = toLength(o.length);
				if (len === 0) {
					o.length = 0;
					return undefined;
				}
				var first = o[0];
				for (var k = 1; k < len; k++) move(o, k, k - 1);
				delete o[len - 1];
				o.length = len - 1;
				return first;
			},
			unshift: function (o, args) {
				var len = toLength(o.length), n = args.length, k;
				if (n > 0) {
					if (len + n > 9007199254740991) throw new TypeError('Array too long');
					for (k = len; k > 0; k--) move(o, k - 1, k + n - 1);
					for (k = 0; k < n; k++) o[k] = args[k];
				}
				o.length = len + n;
				return len + n;
			},
			splice: function (o, args) {
				var len = toLength(o.length), rs = toInt(args[0]), k;
				var start = rs < 0 ? Math.max(len + rs, 0) : Math.min(rs, len);
				var ins = Math.max(args.length - 2, 0);
				var del = args.length === 0 ? 0 : args.length === 1 ? len - start : Math.min(Math.max(toInt(args[1]), 0), len - start);
				if (len + ins - del > 9007199254740991) throw new TypeError('Array too long');
				var a = arraySpecies(o, del);
				for (k = 0; k < del; k++)
					if (start + k in o) O.defineProperty(a, k, { value: o[start + k], writable: true, enumerable: true, configurable: true });
				a.length = del;
				if (ins < del) {
					for (k = start; k < len - del; k++) move(o, k + del, k + ins);
					for (k = len; k > len - del + ins; k--) delete o[k - 1];
				} else if (ins > del) {
					for (k = len - del; k > start; k--) move(o, k + del - 1, k + ins - 1);
				}
				for (k = 0; k < ins; k++) o[start + k] = args[k + 2];
				o.length = len - del + ins;
				return a;
			}
		};
		['reverse', 'shift'].forEach(function (name) {
			var native = AP[name], mine = generic[name];
			wrap(AP, name, function () {
				var r = this != null ? this[SLOT] : undefined;
				if (r !== undefined && nGetProto(this) === null) return mine(this);
				return native.call(this);
			}, 0);
		});
		['unshift', 'splice'].forEach(function (name) {
			var native = AP[name], mine = generic[name];
			wrap(AP, name, function () {
				var r = this != null ? this[SLOT] : undefined;
				if (r !== undefined && nGetProto(this) === null) return mine(this, arguments);
				return native.apply(this, arguments);
			}, name === 'splice' ? 2 : 1);
		});
		/* Annex B's accessor methods, which Duktape has natively. */
		[['__defineGetter__', 'get'], ['__defineSetter__', 'set']].forEach(function (m) {
			var native = OP[m[0]];
			if (typeof native !== 'function') return;
			wrap(OP, m[0], function (k, f) {
				var o = this == null ? this : O(this);
				if (!recOf(o)) return native.apply(this, arguments);
				if (typeof f !== 'function') throw new TypeError('Object.prototype.' + m[0] + ': expecting function');
				var d = { enumerable: true, configurable: true };
				d[m[1]] = f;
				ok(define(o, toKey(k), d), 'defineProperty');
			}, 2);
		});
		[['__lookupGetter__', 'get'], ['__lookupSetter__', 'set']].forEach(function (m) {
			var native = OP[m[0]];
			if (typeof native !== 'function') return;
			wrap(OP, m[0], function (k) {
				var o = this == null ? this : O(this);
				if (!recOf(o)) return native.apply(this, arguments);
				for (k = toKey(k); o !== null; o = getProto(o)) {
					var d = getOwn(o, k);
					if (d !== undefined) return isAccessor(d) ? d[m[1]] : undefined;
				}
			}, 1);
		});
		if (typeof R === 'object') {
			table(R, {
				getPrototypeOf: [pGetProto, 1],
				setPrototypeOf: [function (r, o, v) {
					if (v !== null && !isObject(v)) throw new TypeError('Object prototype may only be an Object or null');
					return pSetProto(r, v);
				}, 2],
				isExtensible: [pIsExt, 1],
				preventExtensions: [pPrevent, 1],
				getOwnPropertyDescriptor: objectTable.getOwnPropertyDescriptor,
				defineProperty: [function (r, o, k, attrs) { return pDefine(r, toKey(k), toDesc(attrs)); }, 3],
				ownKeys: [pOwnKeys, 1]
			});
			/* get and set with a receiver, which Duktape does not take. */
			var rget = R.get, rset = R.set;
			wrap(R, 'get', function (o, k, recv) {
				if (arguments.length < 3 || recv === o) return rget.call(R, o, k);
				if (!isObject(o)) throw new TypeError('Reflect.get called on non-object');
				return get(o, toKey(k), recv);
			}, 2);
			wrap(R, 'set', function (o, k, v, recv) {
				if (!isObject(o)) throw new TypeError('Reflect.set called on non-object');
				if (arguments.length < 4) recv = o;
				if (recv === o && !recOf(o)) return rset.call(R, o, k, v);
				return set(o, toKey(k), v, recv);
			}, 3);
		}
	}

	({ symbols: symbols, tag: tag, spread: spread, proxy: proxies })[part]();
})
