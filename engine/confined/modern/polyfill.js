/* ES2015+ built-ins missing from Duktape 2.7, installed into the sandbox
 * heap when a script needs them.  Runs as script code: counts against the
 * script's limits and defines only what is absent (or, for Error and
 * Reflect.construct, wraps what Duktape does only in part). */
(function (G) {
	'use strict';
	var ITER = Symbol.iterator, TAG = Symbol.toStringTag, AP = Array.prototype;
	var hop = Object.prototype.hasOwnProperty;
	function setName(f, name) {
		if (typeof f === 'function' && f.name !== name)
			Object.defineProperty(f, 'name', { value: name, configurable: true });
		return f;
	}
	/* A built-in method: non-enumerable, named after its key. */
	function def(o, name, v) {
		if (!(name in o)) {
			if (typeof name === 'string')
				setName(v, name);
			Object.defineProperty(o, name, { value: v, writable: true, configurable: true, enumerable: false });
		}
	}
	function defAll(o, table) {
		for (var k in table)
			def(o, k, table[k]);
	}
	function getter(o, name, f) {
		if (!Object.getOwnPropertyDescriptor(o, name))
			Object.defineProperty(o, name, { get: f, configurable: true });
	}
	function sameValueZero(a, b) {
		return a === b || (a !== a && b !== b);
	}
	function toInt(v) {
		v = Number(v);
		return v !== v ? 0 : v === Infinity || v === -Infinity ? v : (v < 0 ? -Math.floor(-v) : Math.floor(v)) || 0;
	}
	function toLength(v) {
		v = toInt(v);
		return v < 0 ? 0 : Math.min(v, 9007199254740991);
	}
	/* A relative index (negative counts from the end) clamped to [0, n]. */
	function relIndex(v, n) {
		v = toInt(v);
		return v < 0 ? Math.max(n + v, 0) : Math.min(v, n);
	}
	function toObject(v, what) {
		if (v == null)
			throw new TypeError(what + ' called on null or undefined');
		return Object(v);
	}
	function callable(f, what) {
		if (typeof f !== 'function')
			throw new TypeError(what + ' is not a function');
		return f;
	}
	function wellKnown(name) {
		if (!Symbol[name])
			Object.defineProperty(Symbol, name, { value: Symbol('Symbol.' + name) });
		return Symbol[name];
	}
	var SPECIES = Symbol.species, UNSCOPABLES = wellKnown('unscopables');
	/* Reading Symbol.species is the sign that a script may need the array
	 * methods that honour it (installSpecies, below). */
	if (!SPECIES) {
		SPECIES = Symbol('Symbol.species');
		Object.defineProperty(Symbol, 'species', {
			get: setName(function () { installSpecies(); return SPECIES; }, 'get species')
		});
	}
	var species = setName(function () { return this; }, 'get [Symbol.species]');

	/* Iterators: %IteratorPrototype% (Iterator.prototype) and one prototype
	 * per kind of built-in iterator, holding `next`; an iterator's state is
	 * a plain object under a symbol key (no closure per iterator: closures
	 * are cycles that only a full collection frees). */
	var STEP = Symbol('step');
	function Iterator() {
		if (!(this instanceof Iterator) || this.constructor === Iterator)
			throw new TypeError('Abstract class Iterator not directly constructable');
	}
	var IterProto = Iterator.prototype;
	def(IterProto, ITER, setName(function () { return this; }, '[Symbol.iterator]'));
	/* A prototype whose next() runs step(state) for its own iterators. */
	function iterKind(tag, step) {
		var P = Object.create(IterProto);
		def(P, 'next', function next() {
			var st = this != null ? this[STEP] : undefined;
			if (!st || st.proto !== P)
				throw new TypeError('next method called on incompatible receiver');
			return step(st);
		});
		def(P, TAG, tag);
		return P;
	}
	function makeIter(proto, st) {
		var it = Object.create(proto);
		st.proto = proto;
		it[STEP] = st;
		return it;
	}
	function done() {
		return { value: undefined, done: true };
	}
	function result(v) {
		return { value: v, done: false };
	}
	var ArrayIterProto = iterKind('Array Iterator', function (st) {
		var a = st.a;
		if (a === undefined || st.i >= toLength(a.length)) {
			st.a = undefined;
			return done();
		}
		var k = st.i++;
		return result(st.what === 'keys' ? k : st.what === 'values' ? a[k] : [k, a[k]]);
	});
	var StringIterProto = iterKind('String Iterator', function (st) {
		var s = st.s, i = st.i;
		if (s === undefined || i >= s.length) {
			st.s = undefined;
			return done();
		}
		var c = s.charCodeAt(i), d = s.charCodeAt(i + 1), n = c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000 ? 2 : 1;
		st.i += n;
		return result(s.substr(i, n));
	});
	var RegExpIterProto = iterKind('RegExp String Iterator', function (st) {
		var m = st.rx && st.rx.exec(st.s);
		if (!m) {
			st.rx = null;
			return done();
		}
		if (m[0] === '') st.rx.lastIndex = toLength(st.rx.lastIndex) + 1;
		return result(m);
	});
	function collectionStep(st) {
		if (!walk(st.w)) return done();
		return result(st.what === 'keys' ? st.w.k : st.what === 'values' ? st.w.v : [st.w.k, st.w.v]);
	}
	var MapIterProto = iterKind('Map Iterator', collectionStep), SetIterProto = iterKind('Set Iterator', collectionStep);
	function arrayIter(a, what) {
		return makeIter(ArrayIterProto, { a: a, i: 0, what: what });
	}
	function getIter(x) {
		var f = x == null ? undefined : x[ITER];
		if (typeof f !== 'function')
			throw new TypeError(typeof x === 'object' || typeof x === 'function' ? 'object is not iterable' : x + ' is not iterable');
		var it = f.call(x);
		if (Object(it) !== it)
			throw new TypeError('Result of the Symbol.iterator method is not an object');
		return it;
	}
	function closeIter(it) {
		try {
			var f = it['return'];
			if (typeof f === 'function')
				f.call(it);
		} catch (e) {}
	}
	/* Calls fn on each value of an iterable; closes the iterator when fn
	 * throws. */
	function iterate(x, fn) {
		/* What the built-in iterators would do, without their objects. */
		if (Array.isArray(x) && x[ITER] === arrayValues && ArrayIterProto.next === arrayNext) {
			for (var i = 0; i < x.length; i++)
				fn(x[i]);
			return;
		}
		var f = x != null ? x[ITER] : undefined;
		if (f !== undefined && (f === mapEntries && MapIterProto.next === mapNext || f === setValues && SetIterProto.next === setNext) &&
		    hop.call(x, '_g')) {
			for (var w = walker(x); walk(w);)
				fn(x._m ? [w.k, w.v] : w.k);
			return;
		}
		var it = getIter(x), r, next = it.next;
		while (!(r = next.call(it)).done) {
			try {
				fn(r.value);
			} catch (e) {
				closeIter(it);
				throw e;
			}
		}
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
			var out = [];
			iterate(x, function (v) { out.push(v); });
			return out;
		}
		if (typeof x.length === 'number')
			return x;
		throw new TypeError('object is not iterable');
	}
	Object.defineProperty(G, '__jsbIter', { value: toArray });
	function codePoints(s, n) {
		var out = [];
		for (var it = makeIter(StringIterProto, { s: s, i: 0 }), r; out.length !== n && !(r = it.next()).done;)
			out.push(r.value);
		return out;
	}
	function stepResult(r) {
		if (Object(r) !== r)
			throw new TypeError('Iterator result ' + r + ' is not an object');
		return r;
	}
	/* IteratorClose after a break, return or the pattern's last value: an
	 * error of return() or a result that is not an object is the loop's. */
	function closeStrict(it) {
		var f = it['return'];
		if (f != null)
			stepResult(callable(f, 'The iterator\'s return').call(it));
	}
	/* The values an array pattern takes apart (translated destructuring):
	 * an array as it is; any other iterable read for the n values the
	 * pattern takes (all when n < 0), then closed unless it is done. */
	Object.defineProperty(G, '__jsbIterRead', {
		value: function (x, n) {
			if (Array.isArray(x))
				return x;
			if (typeof x === 'string')
				return codePoints(x, n);
			if (x != null && x[ITER] === undefined && typeof x.length === 'number')
				return AP.slice.call(x);
			var it = getIter(x), next = it.next, out = [];
			while (out.length !== n) {
				var r = stepResult(next.call(it));
				if (r.done)
					return out;
				out.push(r.value);
			}
			closeStrict(it);
			return out;
		}
	});
	/* A for-of loop over an iterator (the translation's loop is over an
	 * array: `i < list.length`, `list[i]`): reading length steps the
	 * iterator and puts its value at the next index.  d: the iterator is
	 * done (or broke), so it is not closed. */
	function Lazy(it) {
		this.it = it;
		this.n = it.next;
		this.k = 0;
		this.d = false;
	}
	Object.defineProperty(Lazy.prototype, 'length', {
		get: function () {
			if (this.d)
				return 0;
			this.d = true;
			var r = stepResult(this.n.call(this.it)), k = this.k;
			if (r.done)
				return 0;
			delete this[k - 1];
			this[k] = r.value;
			this.d = false;
			return (this.k = k + 1);
		}
	});
	/* What a for-of loop walks by index: an array as it is, a typed array
	 * whose iterator is the built-in one too, a string as its code points,
	 * anything else iterable step by step. */
	Object.defineProperty(G, '__jsbIterLoop', {
		value: function (x) {
			if (Array.isArray(x))
				return x;
			if (typeof x === 'string')
				return codePoints(x, -1);
			if (x != null && (x[ITER] === undefined ? typeof x.length === 'number' :
			                  ArrayBuffer.isView(x) && x[ITER] === arrayValues && ArrayIterProto.next === arrayNext))
				return x;
			return new Lazy(getIter(x));
		}
	});
	/* The end of a for-of loop: an iterator left before it is done is
	 * closed; when the loop threw, quietly (the loop's error wins). */
	Object.defineProperty(G, '__jsbIterClose', {
		value: function (list, threw) {
			if (!(list instanceof Lazy) || list.d)
				return;
			list.d = true;
			if (!threw)
				return closeStrict(list.it);
			try {
				closeStrict(list.it);
			} catch (e) {}
		}
	});

	/* A let, const or parameter used in its temporal dead zone: the
	 * translation calls this there, and the binding holds this function
	 * itself until initialised where a check may be needed (tdz.js). */
	Object.defineProperty(G, '__jsbTdz', {
		value: function (name) {
			throw new ReferenceError("Cannot access '" + name + "' before initialization");
		}
	});

	/* A translated function's name where the translation cannot write it
	 * as the function's own: a symbol key names it [description]; an
	 * accessor's name starts with get or set. */
	Object.defineProperty(G, '__jsbName', {
		value: function (f, key, kind) {
			var name = typeof key !== 'symbol' ? String(key) : key.description === undefined ? '' : '[' + key.description + ']';
			return Object.defineProperty(f, 'name', { value: kind ? kind + ' ' + name : name, configurable: true });
		}
	});

	/* A tagged template's strings: the cooked ones, with the raw ones as
	 * .raw, both frozen (made once per call site by the translation). */
	Object.defineProperty(G, '__jsbTemplate', {
		value: function (cooked, raw) {
			Object.defineProperty(cooked, 'raw', { value: Object.freeze(raw) });
			return Object.freeze(cooked);
		}
	});

	/* Classes.  __jsbSuper(B) checks a superclass as `extends B` does.
	 * super(...args) becomes self = __jsbSuperCall(B, self, args): a
	 * transpiled or plain superclass runs on self (and may return another
	 * object, as one whose superclass is native does); a native one
	 * (Array, Error, ...) ignores `this`, so it makes the object, which
	 * then takes self's prototype (self was made by `new` from the
	 * most derived class).  The error and typed array constructors wrapped
	 * further down count as native (makers): they make their object too. */
	var nativeConstruct = Reflect.construct, makers = [];
	function describe(v) {
		return typeof v === 'function' ? 'function ' + (v.name || '') : typeof v === 'symbol' ? 'a symbol' : String(v);
	}
	/* Whether C is a native constructor.  The last JS ones seen are kept
	 * (the engine's toString of a function is slow, and a script makes
	 * instances of the same few classes). */
	var plain = [];
	function isNative(C) {
		if (makers.indexOf(C) >= 0 || /\[native code\] \}$/.test(Function.prototype.toString.call(C)))
			return true;
		if (plain.length >= 16)
			plain.shift();
		plain.push(C);
		return false;
	}
	Object.defineProperty(G, '__jsbSuper', {
		value: function (C) {
			if (C !== null && typeof C !== 'function')
				throw new TypeError('Class extends value ' + describe(C) + ' is not a constructor or null');
			return C;
		}
	});
	/* super.key and super.key = value: the property found from home (the
	 * superclass's prototype, or the superclass for static members), with
	 * `this` as the receiver, so an accessor runs on the instance, not on
	 * the prototype (ES2015 [[Get]] and [[Set]] with a receiver). */
	function superFind(home, key) {
		for (var o = home; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
			var d = Object.getOwnPropertyDescriptor(o, key);
			if (d)
				return d;
		}
		return undefined;
	}
	Object.defineProperty(G, '__jsbSuperGet', {
		value: function (home, key, receiver) {
			var d = superFind(home, key);
			return !d ? undefined : d.get ? d.get.call(receiver) : 'value' in d ? d.value : undefined;
		}
	});
	Object.defineProperty(G, '__jsbSuperSet', {
		value: function (home, key, receiver, value) {
			var d = superFind(home, key);
			if (d && d.set) {
				d.set.call(receiver, value);
				return value;
			}
			if (d && (d.get || !d.writable))
				throw new TypeError('cannot assign to read-only property ' + String(key));
			var own = Object.getOwnPropertyDescriptor(receiver, key);
			if (own && (own.get || own.set || !own.writable))
				throw new TypeError('cannot assign to property ' + String(key));
			Object.defineProperty(receiver, key, own ? { value: value }
				: { value: value, writable: true, enumerable: true, configurable: true });
			return value;
		}
	});
	/* The prototype of a subclass of C (read once, as `extends` does). */
	/* super[key] op= value names its key once: __jsbSuperKey(key) holds it
	 * (as a property key) for the __jsbSuperKey() of the read that comes
	 * next, before the value is evaluated. */
	var superKey;
	Object.defineProperty(G, '__jsbSuperKey', {
		value: function (key) {
			if (arguments.length)
				superKey = typeof key === 'symbol' ? key : String(key);
			return superKey;
		}
	});
	/* ++super.key and super.key-- (delta 1 or -1): the new value, or the
	 * old one as a number. */
	Object.defineProperty(G, '__jsbSuperUpdate', {
		value: function (home, key, receiver, delta, prefix) {
			key = typeof key === 'symbol' ? key : String(key);
			var old = +G.__jsbSuperGet(home, key, receiver);
			G.__jsbSuperSet(home, key, receiver, old + delta);
			return prefix ? old + delta : old;
		}
	});
	Object.defineProperty(G, '__jsbSuperProto', {
		value: function (C) {
			var P = C === null ? null : C.prototype;
			if (P !== null && Object(P) !== P)
				throw new TypeError('Class extends value does not have valid prototype property ' + describe(P));
			return Object.create(P);
		}
	});
	/* new.target of a constructor that super() called: the object it runs
	 * on and the target (undefined for the engine, which calls it). */
	var superSelf, superTarget;
	function targetOf(self) {
		return self === superSelf ? superTarget : undefined;
	}
	Object.defineProperty(G, '__jsbSuperTarget', { value: targetOf });
	Object.defineProperty(G, '__jsbSuperCall', {
		value: function (C, self, args, target) {
			if (plain.indexOf(C) < 0 && (typeof C !== 'function' || isNative(C)))
				return nativeSuper(C, self, args);
			var outerSelf = superSelf, outerTarget = superTarget, r;
			superTarget = target !== undefined ? target : self === superSelf ? superTarget : undefined;
			superSelf = self;
			try {
				r = C.apply(self, args);
			} finally {
				superSelf = outerSelf;
				superTarget = outerTarget;
			}
			return Object(r) === r ? r : self;
		}
	});
	function nativeSuper(C, self, args) {
		if (typeof C !== 'function')
			throw new TypeError('Super constructor ' + describe(C) + ' is not a constructor');
		var o = nativeConstruct(C, args);
		Object.setPrototypeOf(o, Object.getPrototypeOf(self));
		if (C === Array || C === Function)
			subclassed(C);
		else if (o instanceof G.Error)
			placeError(o);
		return o;
	}
	/* An error made by super() is placed where its class was constructed
	 * (the caller of the outermost constructor, the first frame after the
	 * engine's own that `new` called), not at super(). */
	function placeError(e) {
		var frames = String(e.stack).split('\n');
		for (var i = 2; i < frames.length - 1; i++) {
			if (!/\bconstruct$/.test(frames[i]))
				continue;
			var m = /\(([^()]+):(\d+)\)/.exec(frames[i + 1]);
			if (m) {
				var own = { writable: true, configurable: true, enumerable: false };
				own.value = m[1];
				Object.defineProperty(e, 'fileName', own);
				own.value = Number(m[2]);
				Object.defineProperty(e, 'lineNumber', own);
			}
			return;
		}
	}
	delete G.__jsbSuperCall.fileName;

	/* Class fields.  A private name (#x) is a symbol of its class, on
	 * which Object.prototype has an accessor that throws: reading or
	 * writing obj.#x (obj[sym]) where obj has no own field (or, for a
	 * private method, a prototype with it) is the TypeError it must be. */
	function privateName(name) {
		var sym = Symbol('#' + name);
		var trap = function () {
			throw new TypeError('Cannot access private member #' + name + ' from an object whose class did not declare it');
		};
		Object.defineProperty(Object.prototype, sym, { get: trap, set: trap, configurable: true });
		return sym;
	}
	/* Defines fields on obj from a list of [key, initialiser, kind]: kind
	 * 0 public, 1 private, 2 a static block (run on obj). */
	function initFields(obj, list) {
		for (var i = 0; i < list.length; i++) {
			var key = list[i][0], priv = list[i][2];
			if (priv === 2) {
				list[i][1].call(obj);
				continue;
			}
			if (priv && hop.call(obj, key))
				throw new TypeError('Cannot initialize ' + String(key).slice(7, -1) + ' twice on the same object');
			var value = list[i][1] ? list[i][1].call(obj) : undefined;
			Object.defineProperty(obj, key, { value: value, writable: true, enumerable: !priv, configurable: !priv });
		}
		return obj;
	}
	/* #x in obj */
	function hasPrivate(sym, obj) {
		if (Object(obj) !== obj)
			throw new TypeError("Cannot use 'in' operator to search for a private field in " + describe(obj));
		for (var o = obj; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o))
			if (hop.call(o, sym)) return true;
		return false;
	}
	Object.defineProperty(G, '__jsbFieldPrivate', { value: privateName });
	Object.defineProperty(G, '__jsbFieldInit', { value: initFields });
	Object.defineProperty(G, '__jsbFieldIn', { value: hasPrivate });

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
		entries: function entries(o) { return Object.keys(o).map(function (k) { return [k, o[k]]; }); },
		values: function values(o) { return Object.keys(o).map(function (k) { return o[k]; }); },
		fromEntries: function fromEntries(it) {
			var o = {};
			iterate(toObject(it, 'Object.fromEntries'), function (e) {
				if (Object(e) !== e) throw new TypeError('Iterator value ' + e + ' is not an entry object');
				o[e[0]] = e[1];
			});
			return o;
		},
		getOwnPropertyDescriptors: function getOwnPropertyDescriptors(o) {
			o = toObject(o, 'Object.getOwnPropertyDescriptors');
			var r = {};
			Object.getOwnPropertyNames(o).concat(Object.getOwnPropertySymbols(o)).forEach(function (k) {
				var d = Object.getOwnPropertyDescriptor(o, k);
				if (d !== undefined) r[k] = d;
			});
			return r;
		},
		is: function is(a, b) { return a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b; },
		hasOwn: function hasOwn(o, k) { return hop.call(toObject(o, 'Object.hasOwn'), k); },
		groupBy: function groupBy(items, fn) {
			var out = Object.create(null);
			group(items, fn, function (k, v) {
				k = typeof k === 'symbol' ? k : String(k);
				if (hop.call(out, k)) out[k].push(v); else out[k] = [v];
			});
			return out;
		}
	});
	/* Calls add(key, value) for each value of items, key = fn(value, index). */
	function group(items, fn, add) {
		toObject(items, 'groupBy');
		callable(fn, 'groupBy callback');
		var i = 0;
		iterate(items, function (v) { add(fn(v, i++), v); });
	}
	defAll(Array, {
		from: function from(src) {
			var fn = arguments[1], that = arguments[2];
			if (fn !== undefined) callable(fn, 'Array.from: when provided, the second argument');
			var C = typeof this === 'function' && this !== Array ? this : null, out, n = 0;
			function put(v) {
				v = fn ? fn.call(that, v, n) : v;
				if (C) Object.defineProperty(out, n, { value: v, writable: true, enumerable: true, configurable: true });
				else out[n] = v;
				n++;
			}
			var o = toObject(src, 'Array.from');
			if (typeof src === 'string' || typeof o[ITER] === 'function') {
				out = C ? new C() : [];
				if (typeof src === 'string' && !fn && !C && o[ITER] === StringIter)
					return stringChars(src);
				iterate(o, put);
			} else {
				var len = toLength(o.length);
				out = C ? new C(len) : new Array(len);
				for (var j = 0; j < len; j++)
					put(o[j]);
			}
			out.length = n;
			return out;
		},
		of: function of() {
			var C = typeof this === 'function' && this !== Array ? this : null;
			var out = C ? new C(arguments.length) : new Array(arguments.length);
			for (var i = 0; i < arguments.length; i++)
				out[i] = arguments[i];
			out.length = arguments.length;
			return out;
		}
	});
	/* The code points of a string, each as a string. */
	function stringChars(s) {
		var a = [];
		for (var i = 0; i < s.length; i++) {
			var c = s.charCodeAt(i), d = s.charCodeAt(i + 1);
			if (c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000)
				a.push(s.charAt(i) + s.charAt(++i));
			else
				a.push(s.charAt(i));
		}
		return a;
	}
	function findFrom(o, f, t, back) {
		o = toObject(o, 'Array.prototype.find');
		callable(f, 'predicate');
		var n = toLength(o.length);
		for (var k = 0; k < n; k++) {
			var i = back ? n - 1 - k : k;
			if (f.call(t, o[i], i, o)) return i;
		}
		return -1;
	}
	/* A dense copy of an array-like, for the change-by-copy methods. */
	function copyOf(o, what) {
		o = toObject(o, what);
		var n = toLength(o.length);
		if (n > 4294967295) throw new RangeError('Invalid array length');
		var a = new Array(n);
		for (var i = 0; i < n; i++) a[i] = o[i];
		return a;
	}
	defAll(AP, {
		find: function find(f) { var i = findFrom(this, f, arguments[1], false); return i < 0 ? undefined : this[i]; },
		findIndex: function findIndex(f) { return findFrom(this, f, arguments[1], false); },
		findLast: function findLast(f) { var i = findFrom(this, f, arguments[1], true); return i < 0 ? undefined : this[i]; },
		findLastIndex: function findLastIndex(f) { return findFrom(this, f, arguments[1], true); },
		includes: function includes(v) {
			var o = toObject(this, 'Array.prototype.includes'), n = toLength(o.length);
			for (var i = relIndex(arguments[1], n); i < n; i++)
				if (sameValueZero(o[i], v))
					return true;
			return false;
		},
		fill: function fill(v) {
			var o = toObject(this, 'Array.prototype.fill'), n = toLength(o.length);
			var e = arguments[2] === undefined ? n : relIndex(arguments[2], n);
			for (var i = relIndex(arguments[1], n); i < e; i++)
				o[i] = v;
			return o;
		},
		copyWithin: function copyWithin(target, start) {
			var o = toObject(this, 'Array.prototype.copyWithin'), n = toLength(o.length);
			var to = relIndex(target, n), from = relIndex(start, n);
			var end = arguments[2] === undefined ? n : relIndex(arguments[2], n);
			var count = Math.min(end - from, n - to), dir = 1;
			if (from < to && to < from + count) { dir = -1; from += count - 1; to += count - 1; }
			for (; count > 0; count--, from += dir, to += dir) {
				if (from in o) o[to] = o[from]; else delete o[to];
			}
			return o;
		},
		flat: function flat() {
			var depth = arguments[0] === undefined ? 1 : toInt(arguments[0]);
			var o = toObject(this, 'Array.prototype.flat'), out = [];
			(function walk(a, d) {
				for (var i = 0, n = toLength(a.length); i < n; i++) {
					if (!(i in a)) continue;
					if (Array.isArray(a[i]) && d > 0) walk(a[i], d - 1);
					else out.push(a[i]);
				}
			})(o, depth);
			return out;
		},
		flatMap: function flatMap(f) {
			callable(f, 'flatMap mapper');
			return AP.flat.call(AP.map.call(toObject(this, 'Array.prototype.flatMap'), f, arguments[1]), 1);
		},
		at: function at(i) {
			var o = toObject(this, 'Array.prototype.at'), n = toLength(o.length);
			i = toInt(i);
			i = i < 0 ? n + i : i;
			return i < 0 || i >= n ? undefined : o[i];
		},
		keys: function keys() { return arrayIter(toObject(this, 'Array.prototype.keys'), 'keys'); },
		values: function values() { return arrayIter(toObject(this, 'Array.prototype.values'), 'values'); },
		entries: function entries() { return arrayIter(toObject(this, 'Array.prototype.entries'), 'entries'); },
		toReversed: function toReversed() {
			var a = copyOf(this, 'Array.prototype.toReversed');
			return a.reverse();
		},
		toSorted: function toSorted(cmp) {
			if (cmp !== undefined) callable(cmp, 'The comparison function');
			return copyOf(this, 'Array.prototype.toSorted').sort(cmp);
		},
		toSpliced: function toSpliced(start, skip) {
			var a = copyOf(this, 'Array.prototype.toSpliced'), n = a.length;
			var from = relIndex(start, n);
			var count = arguments.length === 0 ? 0 : arguments.length === 1 ? n - from : Math.min(Math.max(toInt(skip), 0), n - from);
			if (n + Math.max(arguments.length - 2, 0) - count > 9007199254740991)
				throw new TypeError('Invalid array length');
			return a.slice(0, from).concat(AP.slice.call(arguments, 2), a.slice(from + count));
		},
		'with': function (index, value) {
			var a = copyOf(this, 'Array.prototype.with'), i = toInt(index);
			i = i < 0 ? a.length + i : i;
			if (i < 0 || i >= a.length) throw new RangeError('Invalid index : ' + index);
			a[i] = value;
			return a;
		}
	});
	var unscopables = Object.create(null);
	['at', 'copyWithin', 'entries', 'fill', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat',
	 'flatMap', 'includes', 'keys', 'toReversed', 'toSorted', 'toSpliced', 'values'].forEach(function (k) {
		unscopables[k] = true;
	});
	if (!AP[UNSCOPABLES])
		Object.defineProperty(AP, UNSCOPABLES, { value: unscopables, configurable: true });
	def(AP, ITER, AP.values);
	var arrayValues = AP[ITER], arrayNext = ArrayIterProto.next;
	var StringIter = setName(function () {
		return makeIter(StringIterProto, { s: String(toObject(this, 'String.prototype[Symbol.iterator]')), i: 0 });
	}, '[Symbol.iterator]');
	def(String.prototype, ITER, StringIter);
	StringIter = String.prototype[ITER];
	function pad(s, n, f, atStart) {
		s = String(s); n = toLength(n);
		f = f === undefined ? ' ' : String(f);
		if (n <= s.length || f === '') return s;
		var fill = f.repeat(Math.ceil((n - s.length) / f.length)).slice(0, n - s.length);
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
		}
	});
	function isRegExp(x) {
		return Object.prototype.toString.call(x) === '[object RegExp]';
	}
	function flagsOf(re) {
		return (re.global ? 'g' : '') + (re.ignoreCase ? 'i' : '') + (re.multiline ? 'm' : '');
	}
	/* The replacement text for one match of a plain string: $$, $&, $`, $'. */
	function substitute(tpl, matched, pos, s) {
		return tpl.replace(/\$([$&`'])/g, function (_, c) {
			return c === '$' ? '$' : c === '&' ? matched : c === '`' ? s.slice(0, pos) : s.slice(pos + matched.length);
		});
	}
	defAll(String.prototype, {
		replaceAll: function replaceAll(search, replacement) {
			var s = String(toObject(this, 'String.prototype.replaceAll'));
			if (isRegExp(search)) {
				if (!search.global) throw new TypeError('replaceAll must be called with a global RegExp');
				return s.replace(search, replacement);
			}
			search = String(search);
			var fn = typeof replacement === 'function', tpl = fn ? null : String(replacement);
			if (!fn && search !== '' && tpl.indexOf('$') < 0)
				return s.split(search).join(tpl);
			/* Pieces joined once: repeated += copies the string each time. */
			var out = [], last = 0, step = Math.max(search.length, 1);
			for (var pos = s.indexOf(search); pos >= 0 && pos <= s.length; pos = s.indexOf(search, pos + step)) {
				out.push(s.slice(last, pos), fn ? String(replacement(search, pos, s)) : substitute(tpl, search, pos, s));
				last = pos + search.length;
				if (pos + step > s.length) break;
			}
			out.push(s.slice(last));
			return out.join('');
		},
		matchAll: function matchAll(re) {
			var s = String(toObject(this, 'String.prototype.matchAll')), rx;
			if (isRegExp(re)) {
				if (!re.global) throw new TypeError('matchAll must be called with a global RegExp');
				rx = new RegExp(re.source, flagsOf(re));
				rx.lastIndex = toLength(re.lastIndex);
			} else {
				rx = new RegExp(re === undefined ? '(?:)' : String(re), 'g');
			}
			return makeIter(RegExpIterProto, { rx: rx, s: s });
		}
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
		/* Reads raw.length once, as the specification does. */
		raw: function (strs) {
			var raw = toObject(toObject(strs, 'String.raw').raw, 'String.raw'), n = toLength(raw.length), s = '';
			for (var i = 0; i < n; i++) s += String(raw[i]) + (i + 1 < n && i + 1 < arguments.length ? String(arguments[i + 1]) : '');
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

	/* Typed arrays: the methods go on %TypedArray%.prototype, which Duktape
	 * has (with set, subarray, buffer) and every kind inherits; the generic
	 * Array methods, and those that must make a typed array of the same
	 * kind. */
	var TA_KINDS = {};
	['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
	 'Uint32Array', 'Float32Array', 'Float64Array'].forEach(function (name) {
		if (typeof G[name] === 'function') TA_KINDS[name] = G[name];
	});
	/* The constructor of a typed array's own kind; TypeError for anything else. */
	function kindOf(ta, what) {
		var C = ArrayBuffer.isView(ta) && TA_KINDS[Object.prototype.toString.call(ta).slice(8, -1)];
		if (!C) throw new TypeError('%TypedArray%.prototype.' + what + ' called on an incompatible receiver');
		return C;
	}
	if (typeof G.Int8Array === 'function') {
		var TA = Object.getPrototypeOf(G.Int8Array), TAP = Object.getPrototypeOf(G.Int8Array.prototype);
		var methods = {
			toReversed: function toReversed() {
				var C = kindOf(this, 'toReversed');
				return new C(AP.slice.call(this).reverse());
			},
			toSorted: function toSorted(cmp) {
				if (cmp !== undefined) callable(cmp, 'The comparison function');
				var C = kindOf(this, 'toSorted');
				return new C(this).sort(cmp);
			},
			'with': function (index, value) {
				var C = kindOf(this, 'with'), n = this.length, i = toInt(index);
				i = i < 0 ? n + i : i;
				value = Number(value);
				if (i < 0 || i >= n) throw new RangeError('Invalid typed array index');
				var r = new C(this);
				r[i] = value;
				return r;
			},
			map: function map(f) { kindOf(this, 'map'); return new this.constructor(AP.map.call(this, f, arguments[1])); },
			filter: function filter(f) { kindOf(this, 'filter'); return new this.constructor(AP.filter.call(this, f, arguments[1])); },
			slice: function slice(s, e) { kindOf(this, 'slice'); return new this.constructor(AP.slice.call(this, s, e)); },
			sort: function sort(cmp) {
				kindOf(this, 'sort');
				return AP.sort.call(this, cmp || function (a, b) {
					return a !== a ? (b !== b ? 0 : 1) : b !== b ? -1 : a < b ? -1 : a > b ? 1 : a === 0 && b === 0 ? 1 / a - 1 / b : 0;
				});
			}
		};
		['join', 'indexOf', 'lastIndexOf', 'every', 'some', 'forEach', 'reduce', 'reduceRight',
		 'reverse', 'find', 'findIndex', 'findLast', 'findLastIndex', 'fill', 'includes',
		 'keys', 'values', 'entries', 'copyWithin', 'at'].forEach(function (m) { methods[m] = AP[m]; });
		defAll(TAP, methods);
		def(TAP, ITER, TAP.values);
		defAll(TA, {
			from: function from(src) { return new this(Array.from(src, arguments[1], arguments[2])); },
			of: function of() { return new this(AP.slice.call(arguments)); }
		});
		getter(TA, SPECIES, species);
		/* The kind's name, found without Object.prototype.toString (which
		 * reads this getter). */
		getter(TAP, TAG, setName(function () {
			if (ArrayBuffer.isView(this))
				for (var k in TA_KINDS)
					if (this instanceof TA_KINDS[k]) return k;
		}, 'get [Symbol.toStringTag]'));
		/* Duktape's constructors take arrays and array-likes; an iterable
		 * (a Set, an iterator) gave an empty array.  Each kind is wrapped:
		 * same prototype, so instanceof and engine-made arrays are unchanged. */
		var probe = {};
		probe[ITER] = function () { return arrayIter([1], 'values'); };
		if (new G.Uint8Array(probe).length === 0) {
			for (var kind in TA_KINDS) TA_KINDS[kind] = wrapTypedArray(kind, TA_KINDS[kind], TA);
		}
	}
	function wrapTypedArray(name, N, TA) {
		var W = function (a, b, c) {
			if (!(this instanceof W)) throw new TypeError('Constructor ' + name + ' requires \'new\'');
			if (Object(a) === a && !Array.isArray(a) && !(a instanceof ArrayBuffer) && !ArrayBuffer.isView(a) &&
			    typeof a[ITER] === 'function')
				a = toArray(a);
			return arguments.length <= 1 ? (arguments.length ? new N(a) : new N()) :
				arguments.length === 2 ? new N(a, b) : new N(a, b, c);
		};
		W.prototype = N.prototype;
		makers.push(W);
		Object.defineProperty(N.prototype, 'constructor', { value: W, writable: true, configurable: true });
		setName(W, name);
		delete W.fileName;
		/* BYTES_PER_ELEMENT, and Duktape's own statics where the profile leaves them. */
		Object.getOwnPropertyNames(N).forEach(function (k) {
			if (!hop.call(W, k)) Object.defineProperty(W, k, Object.getOwnPropertyDescriptor(N, k));
		});
		Object.setPrototypeOf(W, TA);
		Object.defineProperty(G, name, { value: W, writable: true, configurable: true });
		return W;
	}

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
	['ArrayBuffer', 'DataView'].forEach(function (name) {
		if (typeof G[name] === 'function') def(G[name].prototype, TAG, name);
	});

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

	/* Map and Set: entries in insertion order in two arrays (a generation,
	 * _g), found through indexes keyed by the primitive key itself, or by
	 * an id stored under a symbol in each extensible object; symbols and
	 * non-extensible objects are searched linearly.  A deleted entry leaves
	 * a hole; when holes outnumber the entries, the live ones move to a new
	 * generation and the old one points to it with a map of new positions,
	 * which iterators and forEach calls follow (nothing keeps a list of
	 * them, so an abandoned iterator costs nothing). */
	var HOLE = {}, ABSENT = {}, OID = Symbol('id'), nextId = 0, slotKey;
	/* The index that holds k (its key there in slotKey): _s for strings, _d
	 * for numbers (-0 and 0, and all NaNs, share one key), _o for object ids
	 * and the other primitives; null for keys searched linearly; ABSENT for
	 * an object never added anywhere (with create, such an object gets an
	 * id). */
	function index(c, k, create) {
		switch (typeof k) {
		case 'string': slotKey = k; return c._s;
		case 'number': slotKey = k; return c._d;
		case 'symbol': return null;
		case 'boolean': case 'undefined': slotKey = String(k); return c._o;
		}
		if (k === null) { slotKey = 'null'; return c._o; }
		if (hop.call(k, OID)) { slotKey = k[OID]; return c._o; }
		if (!Object.isExtensible(k)) return null;
		if (!create) return ABSENT;
		Object.defineProperty(k, OID, { value: ++nextId });
		slotKey = nextId;
		return c._o;
	}
	function store(c, isMap) {
		if (!c || !hop.call(c, '_s') || c._m !== isMap)
			throw new TypeError('Method called on incompatible receiver ' + c);
		return c;
	}
	/* Empties c into a new generation; the old one forwards to it with
	 * `moved` (old position -> new), or null for "to the start". */
	function reset(c, moved) {
		var old = c._g;
		c._g = { k: [], v: [], next: null, moved: null };
		c._l = []; c._n = 0;
		/* _d is an array (fast for small integers) with no prototype to inherit from. */
		c._s = Object.create(null); c._d = Object.setPrototypeOf([], null); c._o = Object.create(null);
		if (old) { old.next = c._g; old.moved = moved; }
	}
	function findLinear(c, k) {
		for (var j = 0; j < c._l.length; j++)
			if (c._g.k[c._l[j]] === k) return c._l[j];
		return -1;
	}
	function find(c, k) {
		var i;
		if (typeof k === 'string') i = c._s[k];
		else if (typeof k === 'number') i = c._d[k];
		else return findOther(c, k);
		return i === undefined ? -1 : i;
	}
	function findOther(c, k) {
		var t = index(c, k, false);
		if (t === ABSENT) return -1;
		if (t === null) return findLinear(c, k);
		var i = t[slotKey];
		return i === undefined ? -1 : i;
	}
	function put(c, k, v) {
		var g = c._g, t, i;
		if (typeof k === 'string') { t = c._s; slotKey = k; }
		else if (typeof k === 'number') { k = k === 0 ? 0 : k; t = c._d; slotKey = k; }
		else t = index(c, k, true);
		i = t === null ? findLinear(c, k) : t[slotKey];
		if (i !== undefined && i >= 0) {
			g.v[i] = v;
			return;
		}
		if (t === null) c._l.push(g.k.length); else t[slotKey] = g.k.length;
		g.k.push(k);
		g.v.push(v);
		c._n++;
	}
	function remove(c, k) {
		var t = index(c, k, false), i, g = c._g;
		if (t === ABSENT) return false;
		if (t === null) {
			i = findLinear(c, k);
			if (i < 0) return false;
			c._l.splice(c._l.indexOf(i), 1);
		} else {
			i = t[slotKey];
			if (i === undefined) return false;
			delete t[slotKey];
		}
		g.k[i] = g.v[i] = HOLE;
		c._n--;
		if (g.k.length > 32 && c._n * 2 < g.k.length) squeeze(c);
		return true;
	}
	function squeeze(c) {
		var g = c._g, moved = [], n = 0;
		reset(c, moved);
		for (var i = 0; i <= g.k.length; i++) {
			moved[i] = n;
			if (i < g.k.length && g.k[i] !== HOLE) { put(c, g.k[i], g.v[i]); n++; }
		}
	}
	/* A walk over the live entries of c: walk(w) returns false at the end,
	 * else true with the entry in w.k and w.v; it follows squeezes and
	 * clears. */
	function walker(c) {
		return { g: c._g, i: 0, k: undefined, v: undefined };
	}
	function walk(w) {
		for (var g = w.g; g !== null;) {
			for (; g.next; g = g.next) w.i = g.moved ? g.moved[w.i] : 0;
			if (w.i >= g.k.length) break;
			var j = w.i++;
			if (g.k[j] !== HOLE) { w.g = g; w.k = g.k[j]; w.v = g.v[j]; return true; }
		}
		w.g = null; w.k = w.v = undefined;
		return false;
	}
	function liveIter(c, what, proto) {
		return makeIter(proto, { w: walker(c), what: what });
	}
	function addAll(c, init, isMap) {
		if (init == null) return;
		var add = callable(isMap ? c.set : c.add, "'" + (isMap ? 'set' : 'add') + "' of the collection");
		iterate(init, function (e) {
			if (!isMap) return add.call(c, e);
			if (Object(e) !== e) throw new TypeError('Iterator value ' + e + ' is not an entry object');
			add.call(c, e[0], e[1]);
		});
	}
	function collection(name, isMap) {
		function C() {
			if (!(this instanceof C)) throw new TypeError('Constructor ' + name + ' requires \'new\'');
			['_g', '_s', '_d', '_o', '_l', '_n'].forEach(function (k) {
				Object.defineProperty(this, k, { value: undefined, writable: true });
			}, this);
			Object.defineProperty(this, '_m', { value: isMap });
			reset(this, null);
			addAll(this, arguments[0], isMap);
		}
		var P = C.prototype, iterProto = isMap ? MapIterProto : SetIterProto;
		defAll(P, {
			has: function has(k) {
				if (this == null || this._m !== isMap || !hop.call(this, '_s')) store(this, isMap);
				return find(this, k) >= 0;
			},
			'delete': function (k) { return remove(store(this, isMap), k); },
			clear: function clear() { reset(store(this, isMap), null); },
			forEach: function forEach(f) {
				var c = store(this, isMap), t = arguments[1], w = walker(c);
				callable(f, 'forEach callback');
				while (walk(w)) f.call(t, w.v, w.k, c);
			},
			keys: function keys() { return liveIter(store(this, isMap), 'keys', iterProto); },
			values: function values() { return liveIter(store(this, isMap), 'values', iterProto); },
			entries: function entries() { return liveIter(store(this, isMap), 'entries', iterProto); }
		});
		if (isMap) {
			defAll(P, {
				get: function get(k) {
					if (this == null || this._m !== isMap || !hop.call(this, '_s')) store(this, isMap);
					var i = find(this, k);
					return i < 0 ? undefined : this._g.v[i];
				},
				set: function set(k, v) {
					if (this == null || this._m !== isMap || !hop.call(this, '_s')) store(this, isMap);
					put(this, k, v);
					return this;
				}
			});
		} else {
			def(P, 'add', function add(k) {
				if (this == null || this._m !== isMap || !hop.call(this, '_s')) store(this, isMap);
				put(this, k, k === 0 ? 0 : k);
				return this;
			});
			P.keys = P.values;
		}
		Object.defineProperty(P, 'size', { get: setName(function () { return store(this, isMap)._n; }, 'get size'), configurable: true });
		def(P, ITER, P[isMap ? 'entries' : 'values']);
		def(P, TAG, name);
		getter(C, SPECIES, species);
		return setName(C, name);
	}
	var MapC = collection('Map', true), SetC = collection('Set', false);
	var mapEntries = MapC.prototype[ITER], setValues = SetC.prototype[ITER];
	var mapNext = MapIterProto.next, setNext = SetIterProto.next;
	def(MapC, 'groupBy', function groupBy(items, fn) {
		var m = new MapC();
		group(items, fn, function (k, v) {
			var a = m.get(k);
			if (a) a.push(v); else m.set(k, [v]);
		});
		return m;
	});
	/* Set methods (ES2025): `other` is anything set-like. */
	function setRecord(o) {
		if (Object(o) !== o) throw new TypeError('The argument is not an object');
		var size = Number(o.size);
		if (size !== size) throw new TypeError("The 'size' of the argument is not a number");
		size = toInt(size);
		if (size < 0) throw new RangeError("The 'size' of the argument is negative");
		return { o: o, size: size, has: callable(o.has, "The 'has' of the argument"),
			keys: callable(o.keys, "The 'keys' of the argument") };
	}
	function eachKey(r, fn) {
		var it = r.keys.call(r.o), x;
		if (Object(it) !== it) throw new TypeError('keys() did not return an object');
		while (!(x = it.next()).done)
			if (fn(x.value) === false) { closeIter(it); return false; }
		return true;
	}
	function eachOwn(s, fn) {
		for (var w = walker(s); walk(w);)
			if (fn(w.k) === false) return false;
		return true;
	}
	function copySet(s) {
		var out = new SetC();
		eachOwn(s, function (v) { put(out, v, v); });
		return out;
	}
	defAll(SetC.prototype, {
		union: function union(other) {
			var out = copySet(store(this, false)), r = setRecord(other);
			eachKey(r, function (v) { put(out, v, v === 0 ? 0 : v); });
			return out;
		},
		intersection: function intersection(other) {
			var s = store(this, false), r = setRecord(other), out = new SetC();
			if (s._n <= r.size)
				eachOwn(s, function (v) { if (r.has.call(r.o, v)) put(out, v, v); });
			else
				eachKey(r, function (v) { if (find(s, v) >= 0) put(out, v, v === 0 ? 0 : v); });
			return out;
		},
		difference: function difference(other) {
			var s = store(this, false), r = setRecord(other), out = copySet(s);
			if (s._n <= r.size)
				eachOwn(s, function (v) { if (r.has.call(r.o, v)) remove(out, v); });
			else
				eachKey(r, function (v) { remove(out, v); });
			return out;
		},
		symmetricDifference: function symmetricDifference(other) {
			var s = store(this, false), r = setRecord(other), out = copySet(s);
			eachKey(r, function (v) {
				if (find(s, v) >= 0) remove(out, v); else put(out, v, v === 0 ? 0 : v);
			});
			return out;
		},
		isSubsetOf: function isSubsetOf(other) {
			var s = store(this, false), r = setRecord(other);
			return s._n <= r.size && eachOwn(s, function (v) { return !!r.has.call(r.o, v); });
		},
		isSupersetOf: function isSupersetOf(other) {
			var s = store(this, false), r = setRecord(other);
			return s._n >= r.size && eachKey(r, function (v) { return find(s, v) >= 0; });
		},
		isDisjointFrom: function isDisjointFrom(other) {
			var s = store(this, false), r = setRecord(other);
			if (s._n <= r.size)
				return eachOwn(s, function (v) { return !r.has.call(r.o, v); });
			return eachKey(r, function (v) { return find(s, v) < 0; });
		}
	});
	def(G, 'Map', MapC);
	def(G, 'Set', SetC);

	/* WeakMap and WeakSet keep each value on its key, under a symbol of
	 * their own: the entry goes when the key goes.  Keys that cannot take
	 * a property (non-extensible objects) are held in a list instead. */
	function weak(name, isMap) {
		function W() {
			if (!(this instanceof W)) throw new TypeError('Constructor ' + name + ' requires \'new\'');
			Object.defineProperty(this, '_s', { value: Symbol(name) });
			Object.defineProperty(this, '_k', { value: [] });
			Object.defineProperty(this, '_v', { value: [] });
			addAll(this, arguments[0], isMap);
		}
		function own(w) {
			if (!w || !hop.call(w, '_s')) throw new TypeError('Method called on incompatible receiver ' + w);
			return w;
		}
		/* -2: not an object, -3: kept on the key, -1: absent, else the list index. */
		function slot(w, k) {
			if (Object(k) !== k) return -2;
			if (hop.call(k, w._s)) return -3;
			return w._k.indexOf(k);
		}
		var P = W.prototype;
		defAll(P, {
			has: function has(k) { var i = slot(own(this), k); return i === -3 || i >= 0; },
			'delete': function (k) {
				var i = slot(own(this), k);
				if (i === -3) return delete k[this._s];
				if (i >= 0) { this._k.splice(i, 1); this._v.splice(i, 1); }
				return i >= 0;
			}
		});
		function setIt(w, k, v) {
			var i = slot(own(w), k);
			if (i === -2) throw new TypeError('Invalid value used ' + (isMap ? 'as weak map key' : 'in weak set'));
			if (i === -3) k[w._s] = v;
			else if (i >= 0) w._v[i] = v;
			else if (Object.isExtensible(k)) Object.defineProperty(k, w._s, { value: v, writable: true, configurable: true });
			else { w._k.push(k); w._v.push(v); }
			return w;
		}
		if (isMap) {
			defAll(P, {
				get: function get(k) {
					var i = slot(own(this), k);
					return i === -3 ? k[this._s] : i >= 0 ? this._v[i] : undefined;
				},
				set: function set(k, v) { return setIt(this, k, v); }
			});
		} else {
			def(P, 'add', function add(k) { return setIt(this, k, true); });
		}
		def(P, TAG, name);
		return setName(W, name);
	}
	def(G, 'WeakMap', weak('WeakMap', true));
	def(G, 'WeakSet', weak('WeakSet', false));

	/* Error causes: `new Error(message, { cause })`.  Each constructor is
	 * wrapped, sharing the native prototype (so instanceof and errors thrown
	 * by the engine are unchanged); the wrapper has no fileName, so an
	 * error's fileName and lineNumber stay those of the code that made it. */
	function installCause(e, options) {
		if (Object(options) === options && 'cause' in options)
			Object.defineProperty(e, 'cause', { value: options.cause, writable: true, configurable: true });
		return e;
	}
	function wrapError(name, parent) {
		var N = G[name];
		var W = function (message, options) {
			return installCause(arguments.length ? new N(message) : new N(), options);
		};
		W.prototype = N.prototype;
		makers.push(W);
		Object.defineProperty(N.prototype, 'constructor', { value: W, writable: true, configurable: true });
		Object.defineProperty(W, 'length', { value: 1, configurable: true });
		setName(W, name);
		delete W.fileName;
		if (parent) Object.setPrototypeOf(W, parent);
		Object.defineProperty(G, name, { value: W, writable: true, configurable: true });
		return W;
	}
	if (!('cause' in new Error('', { cause: 0 }))) {
		var ErrorW = wrapError('Error', null);
		['EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'].forEach(function (name) {
			wrapError(name, ErrorW);
		});
	}
	if (!G.AggregateError) {
		var AggregateError = function (errors, message, options) {
			var list = toArray(errors);
			var e = installCause(message === undefined ? new G.Error() : new G.Error(message), options);
			Object.setPrototypeOf(e, AggregateError.prototype);
			Object.defineProperty(e, 'errors', { value: list === errors ? list.slice() : list, writable: true, configurable: true });
			return e;
		};
		AggregateError.prototype = Object.create(G.Error.prototype);
		['constructor', AggregateError, 'name', 'AggregateError', 'message', ''].forEach(function (v, i, a) {
			if (i % 2 === 0)
				Object.defineProperty(AggregateError.prototype, v, { value: a[i + 1], writable: true, configurable: true });
		});
		Object.defineProperty(AggregateError, 'length', { value: 2, configurable: true });
		setName(AggregateError, 'AggregateError');
		delete AggregateError.fileName;
		makers.push(AggregateError);
		Object.setPrototypeOf(AggregateError, G.Error);
		def(G, 'AggregateError', AggregateError);
	}

	/* Reflect.construct with a newTarget: Duktape constructs only with the
	 * target itself; the result then takes newTarget's prototype. */
	if (typeof Reflect === 'object') {
		var construct = Reflect.construct;
		try {
			construct(function () {}, [], Object);
		} catch (e) {
			Object.defineProperty(Reflect, 'construct', {
				value: setName(function (target, args) {
					var nt = arguments.length > 2 ? arguments[2] : target;
					if (typeof nt !== 'function') throw new TypeError('newTarget is not a constructor');
					var o = construct(target, args);
					var proto = nt.prototype;
					if (nt !== target && Object(proto) === proto) Object.setPrototypeOf(o, proto);
					return o;
				}, 'construct'),
				writable: true, configurable: true
			});
			Object.defineProperty(Reflect.construct, 'length', { value: 2, configurable: true });
		}
	}
	[Array, RegExp, G.ArrayBuffer, G.SharedArrayBuffer].forEach(function (C) {
		if (typeof C === 'function') getter(C, SPECIES, species);
	});

	/* Subclasses of Array and Function, set up the first time one is made
	 * (or Symbol.species is read), so that scripts without them keep the
	 * engine's own methods.  The array methods that make a new array make
	 * it with the receiver's constructor[Symbol.species]; a bound function
	 * keeps its target's prototype. */
	var speciesDone = false;
	function speciesOf(o) {
		if (!Array.isArray(o)) return null;
		var C = o.constructor;
		if (Object(C) === C) {
			C = C[SPECIES];
			if (C === null) C = undefined;
		}
		if (C === undefined || C === Array) return null;
		if (typeof C !== 'function') throw new TypeError('object.constructor[Symbol.species] is not a constructor');
		return C;
	}
	function speciesMethod(name) {
		var plain = AP[name];
		var f = function () {
			var C = speciesOf(this), r = plain.apply(this, arguments);
			if (!C) return r;
			var out = new C(name === 'map' ? r.length : 0);
			for (var i = 0; i < r.length; i++)
				if (i in r) Object.defineProperty(out, i, { value: r[i], writable: true, enumerable: true, configurable: true });
			if (name !== 'map' && name !== 'filter') out.length = r.length;
			return out;
		};
		Object.defineProperty(f, 'length', { value: plain.length, configurable: true });
		Object.defineProperty(AP, name, { value: setName(f, name), writable: true, configurable: true });
	}
	function installSpecies() {
		if (speciesDone) return;
		speciesDone = true;
		['concat', 'filter', 'map', 'slice', 'splice'].forEach(speciesMethod);
	}
	var bindDone = false;
	function installBind() {
		if (bindDone) return;
		bindDone = true;
		var bind = Function.prototype.bind;
		var f = function (self) {
			var b = bind.apply(this, arguments), proto = Object.getPrototypeOf(this);
			if (Object.getPrototypeOf(b) !== proto) Object.setPrototypeOf(b, proto);
			return b;
		};
		Object.defineProperty(f, 'length', { value: 1, configurable: true });
		Object.defineProperty(Function.prototype, 'bind', { value: setName(f, 'bind'), writable: true, configurable: true });
	}
	function subclassed(C) {
		if (C === Array) installSpecies(); else installBind();
	}

	/* Iterator helpers (ES2025) on Iterator.prototype, which every built-in
	 * iterator inherits. */
	var HelperProto = Object.create(IterProto);
	def(HelperProto, 'next', function next() {
		if (!this || typeof this[STEP] !== 'function') throw new TypeError('next method called on incompatible receiver');
		return this[STEP]();
	});
	def(HelperProto, 'return', function () {
		if (!this || typeof this[STEP] !== 'function') throw new TypeError('return method called on incompatible receiver');
		var src = this._src;
		this[STEP] = done;
		if (src) closeIter(src);
		return done();
	});
	def(HelperProto, TAG, 'Iterator Helper');
	function makeHelper(step) {
		var it = Object.create(HelperProto);
		it[STEP] = step;
		return it;
	}
	/* A helper over `src`; step(r) maps each result of src.next(), returning
	 * an iterator result, or null to skip. */
	function helper(src, step) {
		var next = src.next, it = makeHelper(function () {
			for (;;) {
				var r = next.call(src);
				if (Object(r) !== r) throw new TypeError('Iterator result ' + r + ' is not an object');
				if (r.done) { it[STEP] = done; return done(); }
				var out;
				try {
					out = step(r.value);
				} catch (e) {
					it[STEP] = done;
					closeIter(src);
					throw e;
				}
				if (out) return out;
			}
		});
		Object.defineProperty(it, '_src', { value: src });
		return it;
	}
	function receiver(it, what) {
		if (Object(it) !== it) throw new TypeError('Iterator.prototype.' + what + ' called on a non-object');
		return it;
	}
	function count(n, what) {
		n = Number(n);
		if (n !== n) throw new RangeError(what + ' must be a number');
		n = toInt(n);
		if (n < 0) throw new RangeError(what + ' must be positive');
		return n;
	}
	/* Runs fn on each value until it returns something other than
	 * undefined; closes the iterator then, or when fn throws. */
	function consume(it, fn) {
		var next = it.next, r, i = 0;
		while (!(r = next.call(it)).done) {
			var out;
			try {
				out = fn(r.value, i++);
			} catch (e) {
				closeIter(it);
				throw e;
			}
			if (out !== undefined) { closeIter(it); return out; }
		}
	}
	defAll(IterProto, {
		map: function map(f) {
			receiver(this, 'map'); callable(f, 'map mapper');
			var i = 0;
			return helper(this, function (v) { return { value: f(v, i++), done: false }; });
		},
		filter: function filter(f) {
			receiver(this, 'filter'); callable(f, 'filter predicate');
			var i = 0;
			return helper(this, function (v) { return f(v, i++) ? { value: v, done: false } : null; });
		},
		take: function take(n) {
			var src = receiver(this, 'take');
			var left = count(n, 'take limit');
			var it = helper(src, function (v) {
				left--;
				return { value: v, done: false };
			});
			var step = it[STEP];
			it[STEP] = function () {
				if (left <= 0) { it[STEP] = done; closeIter(src); return done(); }
				return step();
			};
			return it;
		},
		drop: function drop(n) {
			receiver(this, 'drop');
			var left = count(n, 'drop limit');
			return helper(this, function (v) { return left > 0 && left-- ? null : { value: v, done: false }; });
		},
		flatMap: function flatMap(f) {
			receiver(this, 'flatMap'); callable(f, 'flatMap mapper');
			var src = this, next = src.next, inner = null, i = 0, it;
			it = makeHelper(function () {
				for (;;) {
					if (inner) {
						var ir = inner.next.call(inner);
						if (!ir.done) return { value: ir.value, done: false };
						inner = null;
					}
					var r = next.call(src);
					if (r.done) { it[STEP] = done; return done(); }
					try {
						var m = f(r.value, i++);
						if (Object(m) !== m) throw new TypeError('flatMap mapper returned a non-object');
						inner = typeof m[ITER] === 'function' ? getIter(m) : m;
					} catch (e) {
						it[STEP] = done;
						closeIter(src);
						throw e;
					}
				}
			});
			Object.defineProperty(it, '_src', { value: src });
			return it;
		},
		reduce: function reduce(f) {
			receiver(this, 'reduce'); callable(f, 'reduce reducer');
			var acc, has = arguments.length > 1, it = this;
			if (has) acc = arguments[1];
			consume(it, function (v, i) {
				if (!has) { acc = v; has = true; } else acc = f(acc, v, i);
			});
			if (!has) throw new TypeError('Reduce of empty iterator with no initial value');
			return acc;
		},
		toArray: function toArray() {
			var out = [];
			consume(receiver(this, 'toArray'), function (v) { out.push(v); });
			return out;
		},
		forEach: function forEach(f) {
			receiver(this, 'forEach'); callable(f, 'forEach callback');
			consume(this, function (v, i) { f(v, i); });
		},
		some: function some(f) {
			receiver(this, 'some'); callable(f, 'some predicate');
			return consume(this, function (v, i) { if (f(v, i)) return true; }) === true;
		},
		every: function every(f) {
			receiver(this, 'every'); callable(f, 'every predicate');
			return consume(this, function (v, i) { if (!f(v, i)) return false; }) !== false;
		},
		find: function find(f) {
			receiver(this, 'find'); callable(f, 'find predicate');
			var found;
			consume(this, function (v, i) { if (f(v, i)) { found = v; return true; } });
			return found;
		}
	});
	def(IterProto, TAG, 'Iterator');
	def(IterProto, 'constructor', Iterator);
	var WrapProto = Object.create(IterProto);
	defAll(WrapProto, {
		next: function next() { return this._it.next(); },
		'return': function () {
			var f = this._it['return'];
			return typeof f === 'function' ? f.call(this._it) : done();
		}
	});
	def(Iterator, 'from', function from(o) {
		var it = typeof o === 'string' ? getIter(o) : receiver(o, 'from');
		if (typeof o !== 'string' && typeof o[ITER] === 'function') it = getIter(o);
		if (it instanceof Iterator) return it;
		var w = Object.create(WrapProto);
		Object.defineProperty(w, '_it', { value: it });
		return w;
	});
	def(G, 'Iterator', setName(Iterator, 'Iterator'));

	/* WeakRef and FinalizationRegistry: Duktape has no weak references,
	 * so a WeakRef keeps its target (deref() always returns it) and cleanup
	 * callbacks never run; both are allowed by the specification, which
	 * leaves when (and whether) an object is collected to the engine. */
	if (!G.WeakRef) {
		var WeakRef = function (target) {
			if (!(this instanceof WeakRef)) throw new TypeError('Constructor WeakRef requires \'new\'');
			if (Object(target) !== target) throw new TypeError('WeakRef: invalid target');
			Object.defineProperty(this, '_t', { value: target });
		};
		def(WeakRef.prototype, 'deref', function deref() {
			if (!this || !hop.call(this, '_t')) throw new TypeError('WeakRef.prototype.deref called on an incompatible receiver');
			return this._t;
		});
		def(WeakRef.prototype, TAG, 'WeakRef');
		def(G, 'WeakRef', setName(WeakRef, 'WeakRef'));
	}
	if (!G.FinalizationRegistry) {
		var FinalizationRegistry = function (cleanup) {
			if (!(this instanceof FinalizationRegistry)) throw new TypeError('Constructor FinalizationRegistry requires \'new\'');
			callable(cleanup, 'FinalizationRegistry: cleanup');
			Object.defineProperty(this, '_r', { value: [] });
		};
		var registry = function (r, what) {
			if (!r || !hop.call(r, '_r')) throw new TypeError('FinalizationRegistry.prototype.' + what + ' called on an incompatible receiver');
			return r._r;
		};
		defAll(FinalizationRegistry.prototype, {
			register: function register(target, held) {
				var tokens = registry(this, 'register'), token = arguments[2];
				if (Object(target) !== target) throw new TypeError('FinalizationRegistry.prototype.register: invalid target');
				if (target === held) throw new TypeError('FinalizationRegistry.prototype.register: target and holdings must not be same');
				if (token !== undefined && Object(token) !== token) throw new TypeError('FinalizationRegistry.prototype.register: invalid unregister token');
				if (token !== undefined) tokens.push(token);
			},
			unregister: function unregister(token) {
				var tokens = registry(this, 'unregister'), found = false;
				if (Object(token) !== token) throw new TypeError('Invalid unregisterToken (\'' + token + '\')');
				for (var i = tokens.length - 1; i >= 0; i--)
					if (tokens[i] === token) { tokens.splice(i, 1); found = true; }
				return found;
			}
		});
		def(FinalizationRegistry.prototype, TAG, 'FinalizationRegistry');
		def(G, 'FinalizationRegistry', setName(FinalizationRegistry, 'FinalizationRegistry'));
	}
	def(Math, TAG, 'Math');
	def(JSON, TAG, 'JSON');

	/* Promise with a job queue that the host drains (after the script and
	 * after each timer) through the hidden __jsbDrain.  No closure per
	 * promise: the resolving functions are shared ones bound to a record
	 * (a bound function is not a reference cycle, so it is freed as soon as
	 * it is dropped), and a job is a function with its two arguments.  A
	 * promise still rejected without a handler once the queue is empty
	 * throws its reason from there, as an uncaught exception would. */
	var queue = [], unhandled = [];
	function enqueue(job, a, b) { queue.push(job, a, b); }
	Object.defineProperty(G, '__jsbDrain', {
		value: function () {
			for (var i = 0; i < queue.length; i += 3) queue[i](queue[i + 1], queue[i + 2]);
			var n = queue.length;
			queue.splice(0, n);
			var rejected = unhandled.filter(function (st) { return !st.h; });
			unhandled = [];
			if (rejected.length) throw rejected[0].r;
			return n / 3;
		}
	});
	/* A promise's state, under a symbol: s (0 pending, 1 fulfilled, 2
	 * rejected), r (the result), q (reactions while pending), h (a handler
	 * was attached).  It does not
	 * point back to the promise, which would make a cycle; the resolving
	 * records do ({ st, p, done }: done is the "already resolved" flag). */
	var PSTATE = Symbol('promise');
	function init(p) {
		var st = { s: 0, r: undefined, q: [], h: false };
		Object.defineProperty(p, PSTATE, { value: st });
		return st;
	}
	function P(exec) {
		if (!(this instanceof P)) throw new TypeError('Promise constructor cannot be invoked without \'new\'');
		if (typeof exec !== 'function') throw new TypeError('Promise resolver ' + exec + ' is not a function');
		var rec = { st: init(this), p: this, done: false }, reject = rejectRec.bind(null, rec);
		try { exec(resolveRec.bind(null, rec), reject); } catch (e) { reject(e); }
	}
	function state(p, what) {
		var st = p instanceof P ? p[PSTATE] : undefined;
		if (!st) throw new TypeError('Promise.prototype.' + what + ' called on an incompatible receiver');
		return st;
	}
	function resolveRec(rec, v) {
		if (rec.done) return;
		rec.done = true;
		resolveWith(rec.st, v, rec.p);
	}
	function rejectRec(rec, e) {
		if (rec.done) return;
		rec.done = true;
		settle(rec.st, 2, e);
	}
	function resolveWith(st, v, p) {
		if (v === p) return settle(st, 2, new TypeError('Chaining cycle detected for promise'));
		if (Object(v) === v) {
			var then;
			try { then = v.then; } catch (e) { return settle(st, 2, e); }
			if (typeof then === 'function') return enqueue(adopt, { st: st, p: p, done: false }, { v: v, then: then });
		}
		settle(st, 1, v);
	}
	/* The job that follows a thenable, with resolving functions of its own. */
	function adopt(rec, t) {
		var reject = rejectRec.bind(null, rec);
		try { t.then.call(t.v, resolveRec.bind(null, rec), reject); } catch (e) { reject(e); }
	}
	function settle(st, s, value) {
		if (st.s) return;
		st.s = s; st.r = value;
		if (s === 2 && !st.h) unhandled.push(st);
		var q = st.q;
		st.q = null;
		for (var i = 0; i < q.length; i++) enqueue(react, st, q[i]);
	}
	/* A reaction h: the handlers, and how to settle the derived promise (its
	 * state and itself for our own promises, else the capability's
	 * functions). */
	function react(st, h) {
		var ok = st.s === 1, f = ok ? h.ok : h.fail, v = st.r;
		if (typeof f === 'function') {
			try { v = f(v); } catch (e) { return finish(h, false, e); }
			ok = true;
		}
		finish(h, ok, v);
	}
	function finish(h, ok, v) {
		if (h.st && ok) resolveWith(h.st, v, h.p);
		else if (h.st) settle(h.st, 2, v);
		else (ok ? h.resolve : h.reject)(v);
	}
	function capExec(cap, resolve, reject) {
		if (cap.resolve !== undefined || cap.reject !== undefined)
			throw new TypeError('Promise executor has already been invoked with non-undefined arguments');
		cap.resolve = resolve;
		cap.reject = reject;
	}
	function capability(C) {
		var cap = { promise: undefined, resolve: undefined, reject: undefined };
		if (C === P) {
			var p = Object.create(P.prototype), rec = { st: init(p), p: p, done: false };
			cap.promise = p;
			cap.resolve = resolveRec.bind(null, rec);
			cap.reject = rejectRec.bind(null, rec);
			return cap;
		}
		if (typeof C !== 'function') throw new TypeError('Promise capability: not a constructor');
		cap.promise = new C(capExec.bind(null, cap));
		callable(cap.resolve, 'Promise resolve function');
		callable(cap.reject, 'Promise reject function');
		return cap;
	}
	/* A settled promise of our own, without resolving functions. */
	function settled(ok, v) {
		var p = Object.create(P.prototype), st = init(p);
		if (ok) resolveWith(st, v, p); else settle(st, 2, v);
		return p;
	}
	defAll(P.prototype, {
		then: function then(ok, fail) {
			var st = state(this, 'then'), C = this.constructor, h, promise;
			if (Object(C) === C && C[SPECIES] != null) C = C[SPECIES];
			h = { ok: ok, fail: fail, st: null, p: null, resolve: null, reject: null };
			if (C === P || typeof C !== 'function') {
				promise = h.p = Object.create(P.prototype);
				h.st = init(promise);
			} else {
				var cap = capability(C);
				promise = cap.promise; h.resolve = cap.resolve; h.reject = cap.reject;
			}
			st.h = true;
			if (st.s) enqueue(react, st, h); else st.q.push(h);
			return promise;
		},
		'catch': function (fail) { return this.then(undefined, fail); },
		'finally': function (f) {
			var C = this.constructor;
			if (typeof f !== 'function') return this.then(f, f);
			return this.then(function (v) { return C.resolve(f()).then(function () { return v; }); },
				function (e) { return C.resolve(f()).then(function () { throw e; }); });
		}
	});
	def(P.prototype, Symbol.toStringTag, 'Promise');
	defAll(P, {
		resolve: function resolve(v) {
			if (v instanceof P && v.constructor === this) return v;
			if (this === P) return settled(true, v);
			var cap = capability(this); cap.resolve(v); return cap.promise;
		},
		reject: function reject(e) {
			if (this === P) return settled(false, e);
			var cap = capability(this); cap.reject(e); return cap.promise;
		},
		all: function all(it) { return combine(this, it, 'all'); },
		allSettled: function allSettled(it) { return combine(this, it, 'allSettled'); },
		any: function any(it) { return combine(this, it, 'any'); },
		withResolvers: function withResolvers() { return capability(this); },
		'try': function (f) {
			var cap = capability(this), args = AP.slice.call(arguments, 1);
			try { cap.resolve(f.apply(undefined, args)); } catch (e) { cap.reject(e); }
			return cap.promise;
		},
		race: function race(it) {
			var C = this, cap = capability(C), items = toArray(it);
			for (var i = 0; i < items.length; i++) C.resolve(items[i]).then(cap.resolve, cap.reject);
			return cap.promise;
		}
	});
	/* all, allSettled and any: one record, element handlers bound to it. */
	function combine(C, it, mode) {
		var cap = capability(C), items = toArray(it);
		var rec = { cap: cap, mode: mode, out: new Array(items.length), called: [], left: items.length };
		if (rec.left === 0) combined(rec);
		for (var i = 0; i < items.length; i++)
			C.resolve(items[i]).then(onFulfilled.bind(null, rec, i), onRejected.bind(null, rec, i));
		return cap.promise;
	}
	function combined(rec) {
		if (rec.mode === 'any') rec.cap.reject(new G.AggregateError(rec.out, 'All promises were rejected'));
		else rec.cap.resolve(rec.out);
	}
	function element(rec, i, v) {
		if (rec.called[i]) return;
		rec.called[i] = true;
		rec.out[i] = v;
		if (--rec.left === 0) combined(rec);
	}
	function onFulfilled(rec, i, v) {
		if (rec.mode === 'any') rec.cap.resolve(v);
		else element(rec, i, rec.mode === 'allSettled' ? { status: 'fulfilled', value: v } : v);
	}
	function onRejected(rec, i, e) {
		if (rec.mode === 'all') rec.cap.reject(e);
		else element(rec, i, rec.mode === 'allSettled' ? { status: 'rejected', reason: e } : e);
	}
	getter(P, SPECIES, species);
	def(G, 'Promise', P);
})(this);
