/* ES2015+ built-ins missing from Duktape 2.7, installed into the sandbox
 * heap when a script needs them.  Runs as script code: counts against the
 * script's limits and defines only what is absent. */
(function (G) {
	'use strict';
	var ITER = Symbol.iterator;
	function def(o, name, v) {
		if (!(name in o))
			Object.defineProperty(o, name, { value: v, writable: true, configurable: true, enumerable: false });
	}
	function defAll(o, table) {
		for (var k in table)
			def(o, k, table[k]);
	}
	function sameValueZero(a, b) {
		return a === b || (a !== a && b !== b);
	}
	function toLength(v) {
		v = Math.floor(Number(v)) || 0;
		return v < 0 ? 0 : Math.min(v, 9007199254740991);
	}
	function makeIter(next) {
		var it = { next: next };
		it[ITER] = function () { return this; };
		return it;
	}
	function arrayIter(a, kind) {
		var i = 0;
		return makeIter(function () {
			if (a === undefined || i >= toLength(a.length)) {
				a = undefined;
				return { value: undefined, done: true };
			}
			var k = i++;
			return { value: kind === 'keys' ? k : kind === 'values' ? a[k] : [k, a[k]], done: false };
		});
	}
	/* Anything iterable -> array (used by for-of and spread in transpiled code). */
	function toArray(x) {
		if (x == null)
			throw new TypeError(x + ' is not iterable');
		if (Array.isArray(x))
			return x;
		if (typeof x === 'string')
			return Array.from(x);
		if (typeof x[ITER] === 'function') {
			var out = [], it = x[ITER](), r;
			while (!(r = it.next()).done)
				out.push(r.value);
			return out;
		}
		if (typeof x.length === 'number')
			return x;
		throw new TypeError('object is not iterable');
	}
	Object.defineProperty(G, '__jsbIter', { value: toArray });

	def(G, 'globalThis', G);
	defAll(Number, {
		EPSILON: Math.pow(2, -52),
		MAX_SAFE_INTEGER: 9007199254740991,
		MIN_SAFE_INTEGER: -9007199254740991,
		isInteger: function (v) { return typeof v === 'number' && isFinite(v) && Math.floor(v) === v; },
		isSafeInteger: function (v) { return Number.isInteger(v) && Math.abs(v) <= 9007199254740991; },
		isFinite: function (v) { return typeof v === 'number' && isFinite(v); },
		isNaN: function (v) { return v !== v; },
		parseFloat: parseFloat,
		parseInt: parseInt
	});
	defAll(Object, {
		entries: function (o) { return Object.keys(o).map(function (k) { return [k, o[k]]; }); },
		values: function (o) { return Object.keys(o).map(function (k) { return o[k]; }); },
		fromEntries: function (it) {
			var o = {};
			toArray(it).forEach(function (e) { o[e[0]] = e[1]; });
			return o;
		},
		getOwnPropertyDescriptors: function (o) {
			var r = {};
			Object.getOwnPropertyNames(o).forEach(function (k) { r[k] = Object.getOwnPropertyDescriptor(o, k); });
			return r;
		},
		is: function (a, b) { return a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b; }
	});
	defAll(Array, {
		from: function (src, fn, that) {
			var a;
			if (typeof src === 'string') {
				a = [];
				for (var i = 0; i < src.length; i++) {
					var c = src.charCodeAt(i);
					if (c >= 0xd800 && c < 0xdc00 && i + 1 < src.length)
						a.push(src.charAt(i) + src.charAt(++i));
					else
						a.push(src.charAt(i));
				}
			} else if (src != null && typeof src[ITER] === 'function') {
				a = toArray(src);
			} else {
				var o = Object(src), n = toLength(o.length);
				a = new Array(n);
				for (var j = 0; j < n; j++)
					a[j] = o[j];
			}
			a = a === src ? a.slice() : a;
			var C = typeof this === 'function' && this !== Array ? this : null;
			var out = C ? new C(a.length) : a;
			for (var k = 0; k < a.length; k++)
				out[k] = fn ? fn.call(that, a[k], k) : a[k];
			if (C)
				out.length = a.length;
			return out;
		},
		of: function () {
			var C = typeof this === 'function' && this !== Array ? this : null;
			var out = C ? new C(arguments.length) : new Array(arguments.length);
			for (var i = 0; i < arguments.length; i++)
				out[i] = arguments[i];
			out.length = arguments.length;
			return out;
		}
	});
	defAll(Array.prototype, {
		find: function (f, t) { for (var i = 0; i < toLength(this.length); i++) if (f.call(t, this[i], i, this)) return this[i]; },
		findIndex: function (f, t) { for (var i = 0; i < toLength(this.length); i++) if (f.call(t, this[i], i, this)) return i; return -1; },
		findLast: function (f, t) { for (var i = toLength(this.length) - 1; i >= 0; i--) if (f.call(t, this[i], i, this)) return this[i]; },
		findLastIndex: function (f, t) { for (var i = toLength(this.length) - 1; i >= 0; i--) if (f.call(t, this[i], i, this)) return i; return -1; },
		includes: function (v, from) {
			var n = toLength(this.length), i = Math.floor(from) || 0;
			for (i = i < 0 ? Math.max(n + i, 0) : i; i < n; i++)
				if (sameValueZero(this[i], v))
					return true;
			return false;
		},
		fill: function (v, s, e) {
			var n = toLength(this.length);
			s = Math.floor(s) || 0; e = e === undefined ? n : Math.floor(e) || 0;
			for (var i = s < 0 ? Math.max(n + s, 0) : Math.min(s, n); i < (e < 0 ? n + e : Math.min(e, n)); i++)
				this[i] = v;
			return this;
		},
		copyWithin: function (t, s, e) {
			var n = toLength(this.length), a = this.slice(s, e === undefined ? n : e);
			t = t < 0 ? Math.max(n + t, 0) : Math.min(t, n);
			for (var i = 0; i < a.length && t + i < n; i++)
				this[t + i] = a[i];
			return this;
		},
		flat: function (depth) {
			depth = depth === undefined ? 1 : Number(depth);
			var out = [];
			(function walk(a, d) {
				for (var i = 0; i < a.length; i++) {
					if (!(i in a)) continue;
					if (Array.isArray(a[i]) && d > 0) walk(a[i], d - 1);
					else out.push(a[i]);
				}
			})(this, depth);
			return out;
		},
		flatMap: function (f, t) { return Array.prototype.flat.call(this.map(f, t), 1); },
		at: function (i) { i = Math.trunc(i) || 0; return this[i < 0 ? this.length + i : i]; },
		keys: function () { return arrayIter(this, 'keys'); },
		values: function () { return arrayIter(this, 'values'); },
		entries: function () { return arrayIter(this, 'entries'); }
	});
	def(Array.prototype, ITER, Array.prototype.values);
	def(String.prototype, ITER, function () { return arrayIter(Array.from(String(this)), 'values'); });
	function pad(s, n, f, atStart) {
		s = String(s); n = toLength(n);
		f = f === undefined ? ' ' : String(f);
		if (n <= s.length || f === '') return s;
		var fill = '';
		while (fill.length < n - s.length) fill += f;
		fill = fill.slice(0, n - s.length);
		return atStart ? fill + s : s + fill;
	}
	defAll(String.prototype, {
		padStart: function (n, f) { return pad(this, n, f, true); },
		padEnd: function (n, f) { return pad(this, n, f, false); },
		trimStart: function () { return String(this).replace(/^[\s\uFEFF\xA0]+/, ''); },
		trimEnd: function () { return String(this).replace(/[\s\uFEFF\xA0]+$/, ''); },
		at: function (i) { i = Math.trunc(i) || 0; return this.charAt(i < 0 ? this.length + i : i) || undefined; },
		codePointAt: function (i) {
			var s = String(this), c = s.charCodeAt(i), d;
			if (c !== c) return undefined;
			if (c >= 0xd800 && c < 0xdc00 && (d = s.charCodeAt(i + 1)) >= 0xdc00 && d < 0xe000)
				return (c - 0xd800) * 0x400 + d - 0xdc00 + 0x10000;
			return c;
		},
		normalize: function () { return String(this); }
	});
	String.prototype.trimLeft = String.prototype.trimLeft || String.prototype.trimStart;
	String.prototype.trimRight = String.prototype.trimRight || String.prototype.trimEnd;
	defAll(String, {
		fromCodePoint: function () {
			var s = '';
			for (var i = 0; i < arguments.length; i++) {
				var c = Number(arguments[i]);
				if (!(c >= 0 && c <= 0x10ffff && Math.floor(c) === c)) throw new RangeError('Invalid code point ' + c);
				if (c < 0x10000) s += String.fromCharCode(c);
				else { c -= 0x10000; s += String.fromCharCode(0xd800 + (c >> 10), 0xdc00 + (c & 1023)); }
			}
			return s;
		},
		raw: function (strs) {
			var raw = strs.raw, s = '';
			for (var i = 0; i < raw.length; i++) s += raw[i] + (i + 1 < raw.length && i + 1 < arguments.length ? arguments[i + 1] : '');
			return s;
		}
	});
	defAll(Math, {
		sign: function (x) { x = +x; return x === 0 || x !== x ? x : x > 0 ? 1 : -1; },
		log10: function (x) { return Math.log(x) / Math.LN10; },
		log2: function (x) { return Math.log(x) / Math.LN2; },
		log1p: function (x) { return Math.abs(x) < 1e-8 ? x : Math.log(1 + x); },
		expm1: function (x) { return Math.abs(x) < 1e-8 ? x : Math.exp(x) - 1; },
		sinh: function (x) { return (Math.exp(x) - Math.exp(-x)) / 2; },
		cosh: function (x) { return (Math.exp(x) + Math.exp(-x)) / 2; },
		tanh: function (x) { if (x === Infinity) return 1; if (x === -Infinity) return -1; var a = Math.exp(2 * x); return (a - 1) / (a + 1); },
		asinh: function (x) { return x === -Infinity ? x : Math.log(x + Math.sqrt(x * x + 1)); },
		acosh: function (x) { return Math.log(x + Math.sqrt(x * x - 1)); },
		atanh: function (x) { return Math.log((1 + x) / (1 - x)) / 2; },
		hypot: function () { var s = 0; for (var i = 0; i < arguments.length; i++) s += arguments[i] * arguments[i]; return Math.sqrt(s); },
		fround: function (x) { return new Float32Array([x])[0]; },
		imul: function (a, b) { return (((a & 0xffff) * (b >>> 0)) + ((((a >>> 16) * (b & 0xffff)) << 16) >>> 0)) | 0; },
		clz32: function (x) { x >>>= 0; return x ? 31 - Math.floor(Math.log(x + 0.5) / Math.LN2) : 32; }
	});

	function html(tag, attr) {
		return function (v) {
			var s = String(this);
			return '<' + tag + (attr ? ' ' + attr + '="' + String(v).replace(/"/g, '&quot;') + '"' : '') + '>' + s + '</' + tag + '>';
		};
	}
	defAll(String.prototype, {
		anchor: html('a', 'name'), big: html('big'), blink: html('blink'), bold: html('b'),
		fixed: html('tt'), fontcolor: html('font', 'color'), fontsize: html('font', 'size'),
		italics: html('i'), link: html('a', 'href'), small: html('small'), strike: html('strike'),
		sub: html('sub'), sup: html('sup')
	});

	/* Typed arrays: the generic Array methods, and the ones that must make
	 * a typed array of the same kind. */
	['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
	 'Uint32Array', 'Float32Array', 'Float64Array'].forEach(function (name) {
		var C = G[name], AP = Array.prototype;
		if (typeof C !== 'function') return;
		var methods = {
			map: function (f, t) { return new this.constructor(AP.map.call(this, f, t)); },
			filter: function (f, t) { return new this.constructor(AP.filter.call(this, f, t)); },
			slice: function (s, e) { return new this.constructor(AP.slice.call(this, s, e)); },
			sort: function (cmp) {
				return AP.sort.call(this, cmp || function (a, b) {
					return a !== a ? (b !== b ? 0 : 1) : b !== b ? -1 : a < b ? -1 : a > b ? 1 : a === 0 && b === 0 ? 1 / a - 1 / b : 0;
				});
			}
		};
		['join', 'indexOf', 'lastIndexOf', 'every', 'some', 'forEach', 'reduce', 'reduceRight',
		 'reverse', 'find', 'findIndex', 'findLast', 'findLastIndex', 'fill', 'includes',
		 'keys', 'values', 'entries', 'copyWithin', 'at'].forEach(function (m) { methods[m] = AP[m]; });
		defAll(C.prototype, methods);
		def(C.prototype, ITER, C.prototype.values);
		defAll(C, {
			from: function (src, fn, t) { return new this(Array.from(src, fn, t)); },
			of: function () { return new this(AP.slice.call(arguments)); }
		});
	});

	/* Shared memory in a single-threaded engine: a SharedArrayBuffer is an
	 * ArrayBuffer nobody else sees; atomic operations are plain ones. */
	if (typeof G.ArrayBuffer === 'function' && !G.SharedArrayBuffer) {
		var SAB = function SharedArrayBuffer(n) {
			if (!(this instanceof SAB)) throw new TypeError('Constructor SharedArrayBuffer requires \'new\'');
			var b = new ArrayBuffer(n);
			Object.setPrototypeOf(b, SAB.prototype);
			return b;
		};
		SAB.prototype = Object.create(ArrayBuffer.prototype);
		defAll(SAB.prototype, {
			constructor: SAB,
			slice: function (s, e) {
				var b = ArrayBuffer.prototype.slice.call(this, s, e);
				Object.setPrototypeOf(b, SAB.prototype);
				return b;
			}
		});
		def(SAB.prototype, Symbol.toStringTag, 'SharedArrayBuffer');
		def(G, 'SharedArrayBuffer', SAB);
	}
	function atomic(op) {
		return function (ta, i, v) {
			var old = ta[i];
			ta[i] = op(old, v);
			return old;
		};
	}
	def(G, 'Atomics', {
		add: atomic(function (a, b) { return a + b; }),
		sub: atomic(function (a, b) { return a - b; }),
		and: atomic(function (a, b) { return a & b; }),
		or: atomic(function (a, b) { return a | b; }),
		xor: atomic(function (a, b) { return a ^ b; }),
		exchange: atomic(function (a, b) { return b; }),
		compareExchange: function (ta, i, expected, v) {
			var old = ta[i];
			if (old === (new ta.constructor([expected]))[0]) ta[i] = v;
			return old;
		},
		load: function (ta, i) { return ta[i]; },
		store: function (ta, i, v) { ta[i] = v; return ta[i]; },
		isLockFree: function (n) { return n === 1 || n === 2 || n === 4; },
		/* No other thread can change the value or wake a waiter. */
		wait: function (ta, i, v) { return ta[i] !== v ? 'not-equal' : 'timed-out'; },
		notify: function () { return 0; }
	});
	def(G.Atomics, Symbol.toStringTag, 'Atomics');

	/* Annex B accessors helpers. */
	defAll(Object.prototype, {
		__defineGetter__: function (k, f) { Object.defineProperty(Object(this), k, { get: f, enumerable: true, configurable: true }); },
		__defineSetter__: function (k, f) { Object.defineProperty(Object(this), k, { set: f, enumerable: true, configurable: true }); },
		__lookupGetter__: function (k) {
			for (var o = Object(this); o; o = Object.getPrototypeOf(o)) {
				var d = Object.getOwnPropertyDescriptor(o, k);
				if (d) return d.get;
			}
		},
		__lookupSetter__: function (k) {
			for (var o = Object(this); o; o = Object.getPrototypeOf(o)) {
				var d = Object.getOwnPropertyDescriptor(o, k);
				if (d) return d.set;
			}
		}
	});

	/* Keyed collections: insertion-ordered entries, linear lookup. */
	function collection(name, isMap, weak) {
		function C(init) {
			if (!(this instanceof C)) throw new TypeError('Constructor ' + name + ' requires \'new\'');
			Object.defineProperty(this, '_k', { value: [], writable: true });
			Object.defineProperty(this, '_v', { value: [], writable: true });
			if (init != null) {
				var add = isMap ? this.set : this.add, self = this;
				toArray(init).forEach(function (e) {
					if (isMap && Object(e) !== e) throw new TypeError('iterator value ' + e + ' is not an entry object');
					if (isMap) add.call(self, e[0], e[1]); else add.call(self, e);
				});
			}
		}
		var P = C.prototype;
		function find(c, k) {
			for (var i = 0; i < c._k.length; i++) if (sameValueZero(c._k[i], k)) return i;
			return -1;
		}
		function checkKey(k) {
			if (weak && Object(k) !== k) throw new TypeError('Invalid value used in weak ' + (isMap ? 'map' : 'set'));
		}
		defAll(P, {
			has: function (k) { return find(this, k) >= 0; },
			'delete': function (k) {
				var i = find(this, k);
				if (i < 0) return false;
				this._k.splice(i, 1); this._v.splice(i, 1);
				return true;
			}
		});
		if (isMap) {
			defAll(P, {
				get: function (k) { var i = find(this, k); return i < 0 ? undefined : this._v[i]; },
				set: function (k, v) {
					checkKey(k);
					var i = find(this, k);
					if (i < 0) { this._k.push(k === 0 ? 0 : k); this._v.push(v); } else this._v[i] = v;
					return this;
				}
			});
		} else {
			def(P, 'add', function (k) {
				checkKey(k);
				if (find(this, k) < 0) { this._k.push(k === 0 ? 0 : k); this._v.push(k); }
				return this;
			});
		}
		if (!weak) {
			Object.defineProperty(P, 'size', { get: function () { return this._k.length; }, configurable: true });
			defAll(P, {
				clear: function () { this._k.length = 0; this._v.length = 0; },
				forEach: function (f, t) { for (var i = 0; i < this._k.length; i++) f.call(t, this._v[i], this._k[i], this); },
				keys: function () { return liveIter(this, 'keys'); },
				values: function () { return liveIter(this, 'values'); },
				entries: function () { return liveIter(this, 'entries'); }
			});
			def(P, ITER, isMap ? P.entries : P.values);
			if (!isMap) def(P, 'keys', P.values);
		}
		def(P, Symbol.toStringTag, name);
		return C;
	}
	function liveIter(c, kind) {
		var i = 0;
		return makeIter(function () {
			if (!c || i >= c._k.length) { c = null; return { value: undefined, done: true }; }
			var k = i++;
			return { value: kind === 'keys' ? c._k[k] : kind === 'values' ? c._v[k] : [c._k[k], c._v[k]], done: false };
		});
	}
	def(G, 'Map', collection('Map', true, false));
	def(G, 'Set', collection('Set', false, false));
	def(G, 'WeakMap', collection('WeakMap', true, true));
	def(G, 'WeakSet', collection('WeakSet', false, true));

	/* Promise with a job queue that the host drains (after the script and
	 * after each timer) through the hidden __jsbDrain.  A promise still
	 * rejected without a handler once the queue is empty throws its reason
	 * from there, as an uncaught exception would. */
	var queue = [], unhandled = [];
	function enqueue(job) { queue.push(job); }
	Object.defineProperty(G, '__jsbDrain', {
		value: function () {
			for (var i = 0; i < queue.length; i++) queue[i]();
			var n = queue.length;
			queue.splice(0, n);
			var rejected = unhandled.filter(function (p) { return !p._h; });
			unhandled = [];
			if (rejected.length) throw rejected[0]._r;
			return n;
		}
	});
	function P(exec) {
		if (!(this instanceof P)) throw new TypeError('Promise constructor cannot be invoked without \'new\'');
		if (typeof exec !== 'function') throw new TypeError('Promise resolver ' + exec + ' is not a function');
		Object.defineProperty(this, '_s', { value: 0, writable: true });
		Object.defineProperty(this, '_r', { value: undefined, writable: true });
		Object.defineProperty(this, '_q', { value: [], writable: true });
		Object.defineProperty(this, '_h', { value: false, writable: true });
		var fns = resolvers(this);
		try { exec(fns[0], fns[1]); } catch (e) { fns[1](e); }
	}
	function settle(p, state, value) {
		if (p._s) return;
		p._s = state; p._r = value;
		if (state === 2 && !p._h) unhandled.push(p);
		var q = p._q;
		p._q = [];
		q.forEach(function (h) { schedule(p, h); });
	}
	function resolvers(p) {
		var done = false;
		function resolve(v) {
			if (done) return; done = true;
			if (v === p) return settle(p, 2, new TypeError('Chaining cycle detected for promise'));
			if (Object(v) === v) {
				var then;
				try { then = v.then; } catch (e) { return settle(p, 2, e); }
				if (typeof then === 'function') {
					enqueue(function () {
						var once = false;
						try {
							then.call(v, function (x) { if (!once) { once = true; done = false; resolve(x); } },
								function (e) { if (!once) { once = true; settle(p, 2, e); } });
						} catch (e) { if (!once) { once = true; settle(p, 2, e); } }
					});
					return;
				}
			}
			settle(p, 1, v);
		}
		function reject(e) { if (done) return; done = true; settle(p, 2, e); }
		return [resolve, reject];
	}
	function schedule(p, h) {
		enqueue(function () {
			var f = p._s === 1 ? h.ok : h.fail;
			if (typeof f !== 'function') return (p._s === 1 ? h.resolve : h.reject)(p._r);
			var v;
			try { v = f(p._r); } catch (e) { return h.reject(e); }
			h.resolve(v);
		});
	}
	function capability(C) {
		var cap = {};
		cap.promise = new C(function (res, rej) { cap.resolve = res; cap.reject = rej; });
		return cap;
	}
	defAll(P.prototype, {
		then: function (ok, fail) {
			var C = this.constructor && typeof this.constructor === 'function' ? this.constructor : P;
			var cap = capability(C);
			var h = { ok: ok, fail: fail, resolve: cap.resolve, reject: cap.reject };
			this._h = true;
			if (this._s) schedule(this, h); else this._q.push(h);
			return cap.promise;
		},
		'catch': function (fail) { return this.then(undefined, fail); },
		'finally': function (f) {
			var C = this.constructor;
			return this.then(function (v) { return C.resolve(f()).then(function () { return v; }); },
				function (e) { return C.resolve(f()).then(function () { throw e; }); });
		}
	});
	def(P.prototype, Symbol.toStringTag, 'Promise');
	defAll(P, {
		resolve: function (v) {
			if (v instanceof P && v.constructor === this) return v;
			var cap = capability(this); cap.resolve(v); return cap.promise;
		},
		reject: function (e) { var cap = capability(this); cap.reject(e); return cap.promise; },
		all: function (it) { return combine(this, it, 'all'); },
		allSettled: function (it) { return combine(this, it, 'allSettled'); },
		any: function (it) { return combine(this, it, 'any'); },
		race: function (it) {
			var C = this, cap = capability(C);
			toArray(it).forEach(function (x) { C.resolve(x).then(cap.resolve, cap.reject); });
			return cap.promise;
		}
	});
	function combine(C, it, mode) {
		var cap = capability(C), items = toArray(it), out = new Array(items.length), left = items.length;
		function one(i, v) { out[i] = v; if (--left === 0) (mode === 'any' ? cap.reject : cap.resolve)(out); }
		if (left === 0) (mode === 'any' ? cap.reject : cap.resolve)(out);
		items.forEach(function (x, i) {
			C.resolve(x).then(function (v) {
				if (mode === 'any') cap.resolve(v);
				else one(i, mode === 'allSettled' ? { status: 'fulfilled', value: v } : v);
			}, function (e) {
				if (mode === 'all') cap.reject(e);
				else one(i, mode === 'allSettled' ? { status: 'rejected', reason: e } : e);
			});
		});
		return cap.promise;
	}
	def(G, 'Promise', P);
})(this);
