"""Classes (transpiled): subclasses of built-ins, class semantics, fields
and private names."""

NEEDS_TRANSPILER = True

from modern_case import check_table, js
from jsbox_test import run, expect


def check_error(code, line, message):
    expect(js(code), code=1, out="", err="jsbox: <eval>:%d: %s\n" % (line, message))


def test_array_subclasses_are_arrays():
    check_table([
        ("class Stack extends Array { peek() { return this[this.length - 1]; } }\n"
         "const s = new Stack(); s.push(1, 2, 3);\n"
         "[s.peek(), s.length, s instanceof Stack, s instanceof Array, Array.isArray(s), JSON.stringify(s)]",
         '[3,3,true,true,true,"[1,2,3]"]'),
        ("class L extends Array {}\nconst l = new L(); l[4] = 'x'; const n = l.length; l.length = 1;\n"
         "[n, l.length, 4 in l, Object.getPrototypeOf(L) === Array]", "[5,1,false,true]"),
        ("class L extends Array { sum() { return this.reduce((a, b) => a + b, 0); } }\n"
         "const l = L.from([1, 2, 3]);\n"
         "const m = l.map(x => x * 2), f = l.filter(x => x > 1), c = l.concat([4]), s = l.slice(1);\n"
         "[m.sum(), f.sum(), c.sum(), s.sum(), l.splice(0, 2).sum(), m instanceof L, L.of(7) instanceof L]",
         "[12,5,10,5,3,true,true]"),
        # The class's constructor runs for the arrays the methods make.
        ("let made = 0;\nclass L extends Array { constructor(...a) { super(...a); made++; } }\n"
         "const l = new L(1, 2, 3); l.map(x => x); [made, l.length, l[2]]", "[2,3,3]"),
        ("class A extends Array {}\nclass B extends A { first() { return this[0]; } }\n"
         "class C extends B { constructor() { super(); this.push('c'); } }\n"
         "const c = new C(); [c.first(), c instanceof A, Array.isArray(c), c.map(x => x + 1).first()]",
         '["c",true,true,"c1"]'),
    ])


def test_plain_arrays_keep_their_methods():
    # Only a script that subclasses Array or reads Symbol.species gets the
    # species-aware methods.
    check_table([
        ("const a = [1, 2]; [a.map(x => x).constructor === Array, String(Array.prototype.map).includes('native')]",
         "[true,true]"),
        ("class L extends Array {}\nnew L();\nString(Array.prototype.map).includes('native')", "false"),
        ("const a = []; a.constructor = {}; a.constructor[Symbol.species] = function () { return {foo: 1}; };\n"
         "[a.map(x => x).foo, a.filter(Boolean).foo, a.slice(0).foo, a.splice(0).foo, a.concat([]).foo]",
         "[1,1,1,1,1]"),
    ])


def test_error_subclasses():
    check_table([
        ("class HttpError extends Error {\n"
         "  constructor(status, message) { super(message); this.name = 'HttpError'; this.status = status; }\n}\n"
         "const e = new HttpError(404, 'not found');\n"
         "[e instanceof HttpError, e instanceof Error, e.message, e.name, e.status, String(e), "
         "typeof e.stack, Object.prototype.toString.call(e)]",
         '[true,true,"not found","HttpError",404,"HttpError: not found","string","[object Error]"]'),
        ("class E extends Error {}\nclass F extends E {}\nconst f = new F('x', {cause: 1});\n"
         "[f instanceof E, f.message, f.cause, Object.keys(f).length]", '[true,"x",1,0]'),
        ("class E extends RangeError { get code() { return 'E1'; } }\n"
         "try { throw new E('bad'); } catch (e) { output = [e.code, e.message, e instanceof RangeError]; }",
         '["E1","bad",true]'),
    ])
    # An uncaught one is reported where it was made, not at super().
    check_error("class HttpError extends Error {\n  constructor(m) {\n    super(m);\n"
                "    this.name = 'HttpError';\n  }\n}\nconst x = 1;\nthrow new HttpError('gone')",
                8, "HttpError: gone")


def test_other_builtin_subclasses():
    check_table([
        ("class R extends RegExp {}\nconst r = new R('b+', 'g');\n"
         "[r instanceof R, r.global, r.source, r.exec('abbc')[0], r.lastIndex, new R('x').test('axb'), 'abba'.replace(r, '-')]",
         '[true,true,"b+","bb",3,true,"a-a"]'),
        ("class C extends Boolean {}\nclass N extends Number { twice() { return this * 2; } }\n"
         "class S extends String { shout() { return this.toUpperCase() + '!'; } }\n"
         "const s = new S('hey');\n"
         "[new C(true) == true, new C(true) instanceof C, new N(4).twice(), s.shout(), s.length, s[1], s + '']",
         '[true,true,8,"HEY!",3,"e","hey"]'),
        ("class D extends Date { year() { return this.getUTCFullYear(); } }\nnew D(0).year()", "1970"),
        ("class U extends Uint8Array {}\nconst u = new U([1, 2, 300]); [u instanceof U, u.length, u[2]]",
         "[true,3,44]"),
        ("class M extends Map { constructor() { super([['a', 1]]); } }\nnew M().get('a')", "1"),
    ])
    check_table([
        ("class F extends Function {}\nconst f = new F('x', 'return this.bar + x');\n"
         "[f.call({bar: 1}, 2), f.apply({bar: 1}, [3]), f.bind({bar: 1})(4), f.bind(null) instanceof F, f instanceof F]",
         "[3,4,5,true,true]"),
    ], "--profile", "permissive")


def test_superclasses_that_are_hostile():
    check_table([
        # A superclass that returns a primitive: the object stays.
        ("class B { constructor() { this.b = 1; return 5; } }\nclass C extends B {}\nnew C().b", "1"),
        # One that returns another object: it is the derived one's object.
        ("const other = {o: 1};\nclass B { constructor() { return other; } }\n"
         "class C extends B { constructor() { super(); this.c = 2; } }\n"
         "const c = new C(); [c === other, other.c]", "[true,2]"),
        # A plain function as the superclass.
        ("function P(x) { this.x = x; }\nP.prototype.get = function () { return this.x; };\n"
         "class C extends P {}\nnew C(3).get()", "3"),
        # A long chain.
        ("let C = class extends Array {};\nfor (let i = 0; i < 50; i++) C = class extends C {};\n"
         "const c = new C(); c.push(1); [c.length, Array.isArray(c)]", "[1,true]"),
        # super() in an arrow function, and a bare return.
        ("class B extends Array { constructor(n) { const init = () => super(n); init(); if (n) return; this.push(0); } }\n"
         "[new B(2).length, new B(0).length]", "[2,1]"),
    ])
    check_error("class C extends 42 {}", 1, "TypeError: Class extends value 42 is not a constructor or null")
    check_error("const x = 1;\nclass C extends Math.max {}", 2,
                "TypeError: Class extends value does not have valid prototype property undefined")
    res = js("class S extends Symbol {}\nnew S()")
    expect(res, code=1, out="")
    assert res.err.startswith("jsbox: <eval>:1: TypeError: "), res


def test_classes_require_new():
    check_table([
        ("class A {}\ntry { A(); } catch (e) { output = [e instanceof TypeError, e.message]; }",
         '[true,"Class constructor A cannot be invoked without \'new\'"]'),
        ("class A { constructor() { this.a = 1; } }\nclass B extends A {}\n"
         "const r = [];\nfor (const C of [A, B]) { try { C.call({}); } catch (e) { r.push(e.name); } }\nr",
         '["TypeError","TypeError"]'),
    ])


def test_class_code_is_strict():
    check_table([
        ("class C { static m() { return this; } n() { return (() => this)(); } }\n"
         "[(0, C.m)() === undefined, (0, C.prototype.n)() === undefined]", "[true,true]"),
        ("class C { constructor() { undeclared = 1; } }\n"
         "try { new C(); } catch (e) { output = e.name; }", '"ReferenceError"'),
    ])


def test_superclass_expressions():
    check_table([
        ("let B;\nclass C extends (B = class { m() { return 1; } }) {}\n"
         "[new C() instanceof B, Object.getPrototypeOf(C) === B, new C().m()]", "[true,true,1]"),
        ("const mixin = (S) => class extends S { hi() { return 'hi ' + super.hi(); } };\n"
         "class A { hi() { return 'a'; } }\nclass M extends mixin(A) {}\nnew M().hi()", '"hi a"'),
    ])


def test_computed_accessors():
    check_table([
        ("const k = 'v', s = Symbol('s'); let seen;\n"
         "class C {\n  get [k]() { return 1; }\n  set [k](x) { seen = x; }\n"
         "  static get [s]() { return 'S'; }\n  get 'two words'() { return 2; }\n}\n"
         "const c = new C(); c.v = 5;\n"
         "[c.v, seen, C[s], c['two words'], Object.keys(C.prototype).length, "
         "Object.getOwnPropertyDescriptor(C.prototype, 'v').enumerable]",
         '[1,5,"S",2,0,false]'),
        ("class Tagged { get [Symbol.toStringTag]() { return 'Tagged'; } }\n"
         "Object.prototype.toString.call(new Tagged())", '"[object Tagged]"'),
        # Object literals too (and plain accessors after a computed key).
        ("const k = 'y'; let seen;\n"
         "const o = { [k + 1]: 0, get [k]() { return 1; }, set [k](v) { seen = v; }, a: 2, get b() { return 3; } };\n"
         "o.y = 'set'; [o.y, seen, o.b, o.y1, Object.keys(o)]", '[1,"set",3,0,["y1","y","a","b"]]'),
    ])


def test_new_target():
    check_table([
        ("let seen;\nclass A { constructor() { seen = new.target; } }\nclass B extends A {}\n"
         "class C extends B { constructor() { super(); } }\n"
         "new A(); const a = seen; new B(); const b = seen; new C();\n[a === A, b === B, seen === C]",
         "[true,true,true]"),
        ("class A { constructor() { this.make = () => new new.target(); } }\n"
         "class B extends A {}\nconst b = new B(); [b.make() instanceof B]", "[true]"),
        ("function F() { return () => new.target; }\n[new F()() === F, F()() === undefined]", "[true,true]"),
        # An abstract base class.
        ("class Shape { constructor() { if (new.target === Shape) throw new TypeError('abstract'); } }\n"
         "class Square extends Shape {}\nlet msg; try { new Shape(); } catch (e) { msg = e.message; }\n"
         "[msg, new Square() instanceof Shape]", '["abstract",true]'),
    ])


def test_class_names_are_scoped():
    check_table([
        # Inside the class its name is its own, whatever the variable becomes.
        ("class C { m() { return typeof C; } static make() { return new C(); } }\n"
         "const m = C.prototype.m, make = C.make;\nC = undefined;\n[m(), make() instanceof Object]",
         '["function",true]'),
        ("class C { who() { return 'outer'; } }\nconst outer = C;\n"
         "{\n  class C { who() { return 'inner ' + (C !== outer); } }\n  var inner = new C().who();\n}\n"
         "[new C().who(), inner, C === outer]", '["outer","inner true",true]'),
        # The name as the whole body of an arrow function.
        ("class C { m() { return [1].map(x => C); } static make = () => new C(); }\n"
         "const r = [new C().m()[0] === C, C.make() instanceof C];\n"
         "{ class C { m() { return [1].map(x => C); } } r.push(new C().m()[0] === C); }\nr",
         "[true,true,true]"),
        # A computed key runs before the name is bound.
        ("let e;\ntry { const B = class C { [C]() {} }; } catch (x) { e = x; }\n[e instanceof ReferenceError, e.message]",
         '[true,"Cannot access \'C\' before initialization"]'),
        ("const made = [];\nfor (let i = 0; i < 2; i++) {\n  class K extends Array { static n() { return i; } }\n"
         "  made.push(K);\n}\n[made[0].n(), made[1].n(), made[0] !== made[1]]", "[0,1,true]"),
    ])


def test_public_fields():
    check_table([
        ("class Todo { done = false; tags = []; static count = 0; title; }\n"
         "const a = new Todo(), b = new Todo(); a.tags.push('x');\n"
         "[JSON.stringify(a), b.tags.length, Todo.count, Object.keys(a)]",
         '["{\\"done\\":false,\\"tags\\":[\\"x\\"]}",0,0,["done","tags","title"]]'),
        ("const k = 'dyn';\nclass C { [k + 1] = 1; static [k] = 2; 'quoted key' = 3; }\n"
         "[new C().dyn1, C.dyn, new C()['quoted key']]", "[1,2,3]"),
        # Initialisers run per instance, with `this` the instance (also in
        # arrow functions, the usual way to bind a handler).
        ("let n = 0;\nclass Button { id = ++n; label = 'b' + this.id; onClick = () => this.label; }\n"
         "const b1 = new Button(), b2 = new Button(); const f = b2.onClick;\n[b1.label, f()]", '["b1","b2"]'),
        ("class A { a = 1; }\nclass B extends A { b = this.a + 1; constructor() { super(); this.c = this.b + 1; } }\n"
         "class C extends B { d = this.c + 1; }\nconst c = new C(); [c.a, c.b, c.c, c.d]", "[1,2,3,4]"),
        ("class Cfg { static defaults = { debug: false }; static name2 = this.name + '!'; }\n"
         "[Cfg.defaults.debug, Cfg.name2]", '[false,"Cfg!"]'),
        ("class S extends Array { sum = 0; }\nconst s = new S(); [s.sum, Array.isArray(s), JSON.stringify(s)]",
         '[0,true,"[]"]'),
    ])


def test_private_names():
    check_table([
        ("class C { #n = 0; inc() { return ++this.#n; } get n() { return this.#n; } }\n"
         "const c = new C(); c.inc(); c.inc();\n"
         "[c.n, JSON.stringify(c), Object.keys(c).length, 'n' in c, Object.getOwnPropertyNames(c).length]",
         '[2,"{}",0,true,0]'),
        ("class Account {\n  #balance = 0;\n  static #count = 0;\n  constructor() { Account.#count++; }\n"
         "  #check(v) { if (v <= 0) throw new RangeError('amount'); return v; }\n"
         "  deposit(v) { this.#balance += this.#check(v); return this; }\n"
         "  get #secret() { return this.#balance * 2; }\n  set #secret(v) { this.#balance = v / 2; }\n"
         "  doubled() { const d = this.#secret; this.#secret = 10; return [d, this.#balance]; }\n"
         "  static count() { return Account.#count; }\n  static isAccount(o) { return #balance in o; }\n}\n"
         "const a = new Account().deposit(5); new Account();\n"
         "[a.doubled(), Account.count(), Account.isAccount(a), Account.isAccount({})]",
         "[[10,5],2,true,false]"),
        ("class C { #x = 1; static get(o) { return o?.#x; } }\n[C.get(new C()), C.get(null)]", "[1,null]"),
        # Same name in two classes: two different fields.
        ("class A { #v = 'a'; static read(o) { return o.#v; } }\nclass B { #v = 'b'; }\n"
         "let msg; try { A.read(new B()); } catch (e) { msg = e instanceof TypeError; }\n[A.read(new A()), msg]",
         '["a",true]'),
    ])
    # Reading or writing a private field of an object without it throws.
    check_error("class C { #x = 1; static read(o) { return o.#x; } }\nC.read({})", 1,
                "TypeError: Cannot access private member #x from an object whose class did not declare it")
    check_error("class C { #x = 1; static write(o) { o.#x = 2; } }\nconst z = 0;\nC.write([])", 1,
                "TypeError: Cannot access private member #x from an object whose class did not declare it")
    check_error("class C { #x; static has(o) { const r = #x in o; return r; } }\nC.has(1)", 1,
                "TypeError: Cannot use 'in' operator to search for a private field in 1")


def test_super_in_fields():
    check_table([
        ("class A { foo() { return 'f' + this.n; } static bar() { return 'b' + this.n; } }\n"
         "class B extends A {\n  n = 1; x = super.foo(); y = () => super.foo();\n"
         "  static n = 2; static z = super.bar(); static { this.w = super.bar(); }\n}\n"
         "const b = new B(); [b.x, b.y(), B.z, B.w]", '["f1","f1","b2","b2"]'),
    ])


def test_static_blocks():
    check_table([
        # Static fields and blocks run once the methods are in place, and
        # the fields stay enumerable.
        ("class C {\n  static a = C.twice(2);\n  static { this.b = this.a + 1; }\n  static twice(n) { return n * 2; }\n}\n"
         "[C.a, C.b, Object.keys(C)]", '[4,5,["a","b"]]'),
        ("let log = [];\nclass C {\n  static x = 1;\n  static { log.push(this.x); this.y = this.x + 1; }\n"
         "  static { const f = () => this.y; log.push(f()); }\n}\n[log, C.y]", "[[1,2],2]"),
    ])


def test_field_errors_name_their_line():
    check_error("class C {\n  a = 1;\n  b = null.x;\n}\nconst z = 0;\nnew C()", 3,
                "TypeError: cannot read property 'x' of null")


def test_methods_of_every_kind():
    check_table([
        ("class A {\n  async m() { return 1; }\n  async #p() { return 2; }\n  q() { return this.#p(); }\n"
         "  *#gen() { yield 3; }\n  r() { return [...this.#gen()]; }\n}\n"
         "const out = []; new A().m().then(v => out.push(v)); new A().q().then(v => out.push(v));\n"
         "out.push(new A().r()); output = out", "[[3],1,2]"),
        # A function's own name and length are not writable: static
        # methods of those names are defined over them.
        ("class Q { static name() { return 'n'; } static length() { return 2; } }\n"
         "[Q.name(), Q.length(), Object.getOwnPropertyDescriptor(Q, 'name').writable]", '["n",2,true]'),
    ])


def test_fields_in_loops_and_blocks():
    check_table([
        # The loop body becomes a function (its closures capture i).
        ("const made = [];\nfor (let i = 0; i < 2; i++) {\n"
         "  made.push(class { self = this; n = i; f = () => [this.n, i]; static s = this; });\n}\n"
         "const o = new made[1](); [o.self === o, o.n, o.f(), made[0].s === made[0]]",
         "[true,1,[1,1],true]"),
    ])


def test_super_outside_a_method_is_reported():
    expect(js("const o = { f: function () { return super.x; } }"), code=1, out="",
           err="jsbox: <eval>:1:37: SyntaxError: 'super' keyword outside a method\n")


def test_super_in_compound_assignment_and_update():
    # Read and written with the instance (or class) as receiver, the key
    # evaluated once, before the value; node's results.
    check_table([
        ("class A {}; A.prototype.x = 5;\n"
         "class B extends A { m() { super.x += 1; return [this.x, A.prototype.x, Object.keys(this)] } }\nnew B().m()",
         '[6,5,["x"]]'),
        ("class A { get x() { return 10 } set x(v) { this._x = v } }\n"
         "class B extends A { m() { var a = super.x += 1; var b = super.x++; var c = ++super.x; return [a, b, c, this._x] } }\n"
         "new B().m()", "[11,10,11,11]"),
        ("class A {}; A.t = 3;\nclass B extends A { static m() { super.t *= 2; super.t **= 2; return [this.t, A.t] } }\nB.m()",
         "[9,3]"),
        ("var k = 0; class A {}; A.prototype.a1 = 1;\n"
         "class B extends A { m() { super['a' + (++k)] += 10; super['a' + k]--; return [this.a1, k, A.prototype.a1] } }\n"
         "new B().m()", "[0,1,1]"),
        ("class A {}; A.prototype.n = '1';\nclass B extends A { m() { var r = super.n++; return [r, this.n, typeof r] } }\n"
         "new B().m()", '[1,2,"number"]'),
        ("class A {}; A.prototype.v = 2;\n"
         "class B extends A { m() { var f = () => { super.v -= 1; return super.v }; return [f(), this.v] } }\nnew B().m()",
         "[2,1]"),
        ("var log = []; class A {}; A.prototype.k = 1;\n"
         "class B extends A { m() { super[(log.push('key'), 'k')] += (log.push('rhs'), 1); return [log, this.k] } }\n"
         "new B().m()", '[["key","rhs"],2]'),
        ("class A { get x() { return 1 } }\n"
         "class B extends A { m() { try { super.x += 1; return 'no' } catch (e) { return e.name } } }\nnew B().m()",
         '"TypeError"'),
    ])


def test_super_in_object_literal_methods():
    # The literal's prototype is where super looks; `this` stays the receiver.
    check_table([
        ("var base = { m() { return 'b' + this.tag }, get g() { return this.tag * 2 } };\n"
         "var o = { __proto__: base, tag: 3, m() { return super.m() + 'o' }, get g() { return super.g + 1 } };\n"
         "[o.m(), o.g]", '["b3o",7]'),
        ("var base = { x: 1 };\nvar o = { __proto__: base, inc() { super.x += 5; return [this.x, base.x, super.x] }, "
         "arrow() { return (() => super.x)() } };\n[o.inc(), o.arrow()]", "[[6,1,1],1]"),
        ("var p = { hi(a, b) { return 'p' + a + b + this.n } };\n"
         "var o = { n: '!', __proto__: p, hi(a, b) { return super.hi(a, b) + super['hi'](1, 2) } };\no.hi('x', 'y')",
         '"pxy!p12!"'),
        ("var o = { m() { return super.toString === Object.prototype.toString } };\no.m()", "true"),
        # Each literal is its methods' home, even nested in another's.
        ("var o = { __proto__: { f() { return 1 } }, m() {\n"
         "  var inner = { __proto__: { f() { return 2 } }, m() { return super.f() } };\n  return [super.f(), inner.m()] } };\n"
         "o.m()", "[1,2]"),
        ("class A { m() { return 'A' } }\n"
         "class B extends A { m() { var o = { __proto__: { m() { return 'P' } }, m() { return super.m() } }; "
         "return [super.m(), o.m()] } }\nnew B().m()", '["A","P"]'),
        # Object.setPrototypeOf after the literal is made moves what super finds.
        ("var o = { m() { return super.who } }; Object.setPrototypeOf(o, { who: 'late' }); o.m()", '"late"'),
    ])


def test_class_names():
    check_table([
        ("var o = { foo: class {}, bar: class baz {} }; o.qux = class {}; var v = class {};\n"
         "function f(p = class {}) { return p.name; }\n"
         "[o.foo.name, o.bar.name, o.qux.name, v.name, (class {}).name, f(), class Named {}.name]",
         '["foo","baz","","v","","p","Named"]'),
        ("const C = class { static name() { return 'own'; } };\nC.name()", '"own"'),
    ])


def test_super_property_runs_accessors_on_this():
    # An accessor reached through super runs with the instance (or class)
    # as `this`, in methods, accessors, constructors, fields, static
    # members and arrows inside them; reads, writes and computed keys.
    check_table([
        ("class A { constructor(x) { this.x = x } get d() { return this.x * 2 } }\n"
         "class B extends A { get d() { return super.d + 1 } }\nnew B(4).d", "9"),
        ("class A { set d(v) { this.x = v } }\nclass B extends A { set d(v) { super.d = v * 10 } }\n"
         "const b = new B(); b.d = 2; b.x", "20"),
        ("class A { get d() { return this.x } }\n"
         "class B extends A { f() { return (() => super.d)() } }\nconst b = new B(); b.x = 8; b.f()", "8"),
        ("class A { static get s() { return this.n } }\nclass B extends A { static get s() { return super.s + 1 } }\n"
         "B.n = 5; B.s", "6"),
        ("class A { get d() { return this.x } }\n"
         "class B extends A { constructor() { super(); this.x = 3; const k = 'd'; this.y = [super.d, super[k]] } }\n"
         "new B().y", "[3,3]"),
        ("class A { static get s() { return this.n } }\nclass B extends A { static n = 4; static t = () => super.s }\n"
         "B.t()", "4"),
        ("class A { m() { return this.v } }\nclass B extends A { m() { return super.m() + 1 } }\n"
         "const b = new B(); b.v = 1; b.m()", "2"),
        # A plain super.key = value makes an own property of the instance.
        ("class A {}\nclass B extends A { f() { super.w = 5; return Object.keys(this) } }\nnew B().f()", '["w"]'),
        ("class A { get r() { return 1 } }\nclass B extends A { f() { try { super.r = 2 } catch (e) { return e.name } } }\n"
         "new B().f()", '"TypeError"'),
    ])
