/* Classes for the transpiler heap: what Bublé's class transform lacks
 * (with the edits to it in patches/buble/).  Called inside Bublé's
 * module after __jsbSyntax, with its Node base class, its table of node
 * types and its BlockStatement type; wraps the node types' methods.
 * A derived constructor gets its object from __jsbSuperCall (the
 * polyfills), which lets a native superclass (Array, Error, ...) make it:
 * every `this` of the constructor becomes the alias super() assigns, and
 * the constructor returns it.  Fields and static blocks become functions
 * run per instance or once; private names are variables of the class
 * that hold symbols.  Inserted code stays on the lines it belongs to. */
function __jsbClasses(Node, types, Block) {
	'use strict';

	/* The function node a constructor's method definition holds, when
	 * node is the body of a class's constructor. */
	function ctorOf(body) {
		var fn = body.parent, method = fn && fn.parent;
		return method && method.type === 'MethodDefinition' && method.kind === 'constructor' ? method : null;
	}

	/* The body of the derived constructor whose `this` node uses, or null. */
	function derivedBody(node) {
		var b = node.findLexicalBoundary();
		return b.jsbDerived ? b : null;
	}

	/* The line breaks of the original text from start to end, so that text
	 * put over it keeps the lines after it in place. */
	function breaks(code, start, end) {
		return code.original.slice(start, end).replace(/[^\n]/g, '');
	}

	/* A name the source does not contain, so that neither it nor the names
	 * derived from it clash with or shadow the user's. */
	function unused(node, base) {
		var source = node.program.magicString.original, name = base;
		for (var i = 1; source.indexOf(name) >= 0; i++)
			name = base + i;
		return name;
	}

	var ELEMENT = /^(PropertyDefinition|StaticBlock)$/;

	/* Fields, static blocks and private names of a class body: the names of
	 * the variables that hold its private names (jsbNames), the list of its
	 * instance fields (jsbFields) and that of its static fields and blocks
	 * (jsbStatics). */
	function prepare(body) {
		var program = body.program;
		var base = program.jsbPrivate || (program.jsbPrivate = unused(body, '$jsbP'));
		body.jsbNames = {};
		body.jsbThis = base + 'T';
		body.body.forEach(function (m) {
			var priv = m.key && m.key.type === 'PrivateIdentifier';
			if (priv)
				body.jsbNames[m.key.name] = base + '_' + m.key.name;
			if (m.type === 'PropertyDefinition' && !m.static)
				body.jsbFields = base + 'F';
			else if (ELEMENT.test(m.type))
				body.jsbStatics = base + 'S';
			if (priv || ELEMENT.test(m.type))
				body.jsbScope = true;
		});
	}

	var ClassBody = types.ClassBody;
	var bodyTranspile = ClassBody.prototype.transpile;
	ClassBody.prototype.initialise = function (transforms) {
		var ctor = this.body.filter(function (m) { return m.kind === 'constructor'; })[0];
		if (ctor && this.parent.superClass)
			ctor.value.body.jsbDerived = true;
		prepare(this);
		Node.prototype.initialise.call(this, transforms);
	};
	ClassBody.prototype.transpile = function (code, transforms, inFunctionExpression, superName) {
		var body = this;
		this.body.forEach(function (m) {
			if (!ELEMENT.test(m.type))
				startMethod(body, m, code);
		});
		bodyTranspile.call(this, code, transforms, inFunctionExpression, superName);
		finishBody(this, code);
	};

	/* Before Bublé's transform of a method (or the constructor): class
	 * code is strict; a constructor's start is __jsbCtorStart's, and a
	 * derived one returns its object. */
	function startMethod(classBody, m, code) {
		var body = m.value.body;
		if (m.kind !== 'constructor') {
			code.appendLeft(body.start + 1, " 'use strict';");
		} else {
			code.appendLeft(body.start + 1, ' ' + __jsbCtorStart(classBody.parent));
			if (body.jsbDerived)
				code.prependRight(body.end - 1, '; return ' + body.getThisAlias() + '; ');
		}
		/* Bublé defines a private method with a string key as `[key]`:
		 * the key is the variable of its symbol, the name "#x". */
		var key = m.key;
		if (key.type === 'PrivateIdentifier') {
			code.overwrite(key.start, key.end, classBody.jsbNames[key.name], { contentOnly: true });
			key.type = 'Literal';
			key.name = key.value = '#' + key.name;
			key.jsbDefine = true;
		}
	}

	/* After it: computed keys that use the class's name, the fields and
	 * static blocks, the variables of the private names and the lists of
	 * fields, first in the class's scope, and at its end, once its methods
	 * are in place, the static fields and blocks run. */
	function finishBody(body, code) {
		var id = body.parent.id, className = body.parent.name, names = body.jsbNames;
		body.body.forEach(function (m) {
			if (id && m.computed)
				uninitialised(m.key, id.name, code);
			if (ELEMENT.test(m.type))
				(m.type === 'StaticBlock' ? staticBlock : field)(m, code);
		});
		var decls = Object.keys(names).map(function (n) {
			return names[n] + ' = __jsbFieldPrivate(' + JSON.stringify(n) + ')';
		});
		[body.jsbFields, body.jsbStatics].forEach(function (list) {
			if (list)
				decls.push(list + ' = []');
		});
		if (decls.length)
			code.prependRight(body.start, 'var ' + decls.join(', ') + '; ');
		/* (Bublé names an anonymous class's function after what it is
		 * assigned to, also a property of another object, or "anonymous".) */
		var shown = __jsbClassName(body.parent);
		if (shown !== className && !hasStatic(body, 'name'))
			code.appendLeft(body.end, ' Object.defineProperty(' + className + ", 'name', { value: " +
				JSON.stringify(shown) + ', configurable: true });');
		if (body.jsbStatics)
			code.appendLeft(body.end, ' __jsbFieldInit(' + className + ', ' + body.jsbStatics + ');');
	}

	/* Whether the class body has a static member key (not computed). */
	function hasStatic(body, key) {
		return body.body.some(function (m) {
			return m.static && !m.computed && m.key && (m.key.name === key || m.key.value === key);
		});
	}

	/* A computed key runs before the class's name is bound (its temporal
	 * dead zone): each use of the name in it (outside functions) throws. */
	function uninitialised(node, name, code) {
		if (!node || typeof node.type !== 'string' || /Function/.test(node.type))
			return;
		var parent = node.parent;
		if (node.type === 'Identifier' && node.name === name &&
		    !(parent.type === 'MemberExpression' && parent.property === node && !parent.computed) &&
		    !(parent.type === 'Property' && parent.key === node && !parent.computed)) {
			node.jsbUninitialised = true;
			code.overwrite(node.start, node.end, '(function () { throw new ReferenceError("Cannot access \'' +
				name + '\' before initialization"); }())');
			return;
		}
		(node.keys || []).forEach(function (k) {
			[].concat(node[k]).forEach(function (child) { uninitialised(child, name, code); });
		});
	}

	/* Text put over start..end (an empty range takes it in front of end). */
	function put(code, start, end, text) {
		if (start < end)
			code.overwrite(start, end, text + breaks(code, start, end), { contentOnly: true });
		else
			code.prependRight(end, text);
	}

	/* The start of the function an element's code runs in (`this` is the
	 * instance, or the class). */
	function elementFunction(m) {
		return "function () { 'use strict'; " + (m.jsbThisAlias ? 'var ' + m.jsbThisAlias + ' = this; ' : '');
	}

	/* x = v; -> $F.push(['x', function () { return v; }, 0]);  A static
	 * one goes on the static list; a private one's key is the variable of
	 * its name (and 0 becomes 1). */
	function field(m, code) {
		var key = m.key, priv = key.type === 'PrivateIdentifier';
		var names = m.parent.jsbNames;
		if (priv)
			code.overwrite(key.start, key.end, names[key.name], { contentOnly: true });
		else if (!m.computed && key.type === 'Identifier')
			code.overwrite(key.start, key.end, JSON.stringify(key.name), { contentOnly: true });
		var open = (m.static ? m.parent.jsbStatics : m.parent.jsbFields) + '.push([';
		var close = ', ' + (priv ? 1 : 0) + ']);';
		var keyStart = m.computed ? code.original.lastIndexOf('[', key.start) : key.start;
		var keyEnd = m.computed ? code.original.indexOf(']', key.end) + 1 : key.end;
		put(code, m.start, keyStart + (m.computed ? 1 : 0), open);
		if (m.computed)
			code.overwrite(keyEnd - 1, keyEnd, '', { contentOnly: true });
		if (!m.value) {
			put(code, keyEnd, m.end, ', null' + close);
			return;
		}
		put(code, keyEnd, m.value.start, ', ' + elementFunction(m) + 'return ');
		put(code, m.value.end, m.end, '; }' + close);
	}

	/* static { ... } -> $S.push([0, function () { ... }, 2]); */
	function staticBlock(m, code) {
		var open = code.original.indexOf('{', m.start);
		put(code, m.start, open + 1, m.parent.jsbStatics + '.push([0, ' + elementFunction(m));
		put(code, m.end - 1, m.end, '}, 2]);');
	}

	/* The field or static block whose code node runs in, or null. */
	function elementOf(node) {
		for (var n = node.parent; n && n.type !== 'ClassBody'; n = n.parent) {
			/* no patterns here: this runs for every `this` on every level */
			if (n.type.lastIndexOf('Function', 0) === 0)
				return null;
			if (n.type === 'PropertyDefinition' || n.type === 'StaticBlock')
				return n.type === 'StaticBlock' || n.value && n.value.start <= node.start ? n : null;
		}
		return null;
	}

	/* The variable that holds the private name #name where node is. */
	function privateName(node, name) {
		for (var n = node; n; n = n.parent)
			if (n.type === 'ClassBody' && n.jsbNames[name])
				return n.jsbNames[name];
		return null;
	}

	/* obj.#x -> obj[$jsbP_x] (in obj?.#x too, which the optional chain
	 * reads): an object without it inherits an accessor that throws. */
	var Member = types.MemberExpression;
	var memberTranspile = Member.prototype.transpile;
	Member.prototype.transpile = function (code, transforms) {
		memberTranspile.call(this, code, transforms);
		var key = this.property;
		if (key.type !== 'PrivateIdentifier')
			return;
		var dot = code.original.lastIndexOf('.', key.start) - (this.optional ? 1 : 0);
		code.overwrite(dot, key.end, '[' + privateName(this, key.name) + ']');
	};

	/* #x in obj -> __jsbFieldIn($jsbP_x, obj) */
	var Binary = types.BinaryExpression;
	var binaryTranspile = Binary.prototype.transpile;
	Binary.prototype.transpile = function (code, transforms) {
		binaryTranspile.call(this, code, transforms);
		if (this.left.type !== 'PrivateIdentifier')
			return;
		code.overwrite(this.left.start, this.right.start, '__jsbFieldIn(' + privateName(this, this.left.name) + ', ');
		code.appendLeft(this.right.end, ')');
	};

	/* Bublé moves or copies a superclass expression without translating
	 * it (`extends (B = class {})`). */
	var Expression = types.ClassExpression;
	var expressionTranspile = Expression.prototype.transpile;
	Expression.prototype.transpile = function (code, transforms) {
		if (this.superClass)
			this.superClass.transpile(code, transforms);
		expressionTranspile.call(this, code, transforms);
	};

	/* The class's name inside its body is its own binding (a function's,
	 * which Bublé makes for a subclass and, when the body uses the name,
	 * the class is in a block that renames it or has fields or private
	 * names, here for any class), never the variable the declaration
	 * assigns. */
	var Declaration = types.ClassDeclaration;
	var declarationTranspile = Declaration.prototype.transpile;
	Declaration.prototype.transpile = function (code, transforms) {
		if (this.superClass)
			this.superClass.transpile(code, transforms);
		var decl = this.id && this.findScope(false).declarations[this.id.name];
		var body = this.body, name = this.name;
		var inner = decl ? decl.instances.filter(function (id) {
			return id.start >= body.start && id.end <= body.end;
		}) : [];
		var wrap = !this.superClass && (inner.length || (decl && decl.name !== name) || body.jsbScope);
		declarationTranspile.call(this, code, transforms);
		inner.forEach(function (id) {
			if (!id.jsbUninitialised && decl.name !== name)
				code.overwrite(id.start, id.end, name, { storeName: true, contentOnly: true });
		});
		if (wrap) {
			code.appendLeft(body.start, '(function () { ');
			code.appendLeft(this.end, ' return ' + name + '; }());');
		}
	};

	/* In a derived constructor, `this` (also in its arrow functions) is
	 * the object super() returned; in a field or static block, the
	 * instance or class its function runs on. */
	var This = types.ThisExpression;
	var thisInitialise = This.prototype.initialise;
	This.prototype.initialise = function (transforms) {
		thisInitialise.call(this, transforms);
		var body = derivedBody(this), element = elementOf(this);
		/* (Always aliased: a loop around the class that becomes a function
		 * would alias it to its own.) */
		if (element)
			this.alias = element.jsbThisAlias = element.parent.jsbThis;
		else if (body && !this.alias)
			this.alias = body.getThisAlias();
	};

	var Super = types.Super;
	var superInitialise = Super.prototype.initialise, superTranspile = Super.prototype.transpile;

	/* The object literal whose method (or accessor) holds node, when that
	 * method is the function super belongs to; else null. */
	function objectHome(node) {
		for (var n = node.parent; n; n = n.parent) {
			if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') {
				var prop = n.parent;
				return prop.type === 'Property' && prop.value === n && (prop.method || prop.kind !== 'init') ?
					prop.parent : null;
			}
		}
		return null;
	}

	Super.prototype.initialise = function (transforms) {
		var element = elementOf(this), superClass = element && element.parent.parent.superClass;
		if (superClass) {
			/* super.x in a field or static block: as in a method. */
			this.method = { static: element.static || element.type === 'StaticBlock' };
			this.superClassName = superClass.name || 'superclass';
			this.isMember = this.parent.type === 'MemberExpression';
			var arrow = this.findNearest(/^ArrowFunctionExpression$/);
			if (arrow && arrow.depth > element.depth)
				this.thisAlias = element.jsbThisAlias = element.parent.jsbThis;
			return;
		}
		var object = objectHome(this);
		if (object && this.parent.type === 'MemberExpression') {
			/* super.x in an object literal's method: found from the literal's
			 * prototype, which a variable holding the literal reaches. */
			if (!object.jsbHome) {
				/* One name per literal, unused anywhere in the source: one
				 * literal's may not shadow another's around it. */
				var program = this.program;
				program.jsbHome = program.jsbHome || unused(this, '$jsbH');
				program.jsbHomes = (program.jsbHomes || 0) + 1;
				object.jsbHome = object.findScope(true).createDeclaration(program.jsbHome + program.jsbHomes);
			}
			this.jsbHome = 'Object.getPrototypeOf(' + object.jsbHome + ')';
			this.isMember = true;
			var boundary = this.findLexicalBoundary(), around = this.findNearest(/^ArrowFunctionExpression$/);
			if (around && around.depth > boundary.depth)
				this.thisAlias = boundary.getThisAlias();
			return;
		}
		superInitialise.call(this, transforms);
		var body = derivedBody(this);
		if (body)
			this.thisAlias = body.getThisAlias();
	};

	/* super.key op= value: read and written with `this` as the receiver,
	 * the key evaluated once (a computed one goes through __jsbSuperKey,
	 * which holds it for the read that follows). */
	function superCompound(member, code, home, receiver) {
		var up = member.parent, op = up.operator, key = JSON.stringify(member.computed ? '' : member.property.name);
		var from = member.start;
		if (member.computed) {
			code.overwrite(member.start, member.property.start, '__jsbSuperSet(' + home + ', __jsbSuperKey(');
			key = '__jsbSuperKey()';
			from = member.property.end;
		}
		var read = '__jsbSuperGet(' + home + ', ' + key + ', ' + receiver + ')';
		var head = (member.computed ? '), ' : '__jsbSuperSet(' + home + ', ' + key + ', ') + receiver + ', ';
		code.overwrite(from, up.right.start, head + (op === '**=' ? 'Math.pow(' + read + ', ' :
			read + ' ' + op.slice(0, -1) + ' ('));
		code.appendLeft(up.right.end, '))');
	}

	/* ++super.key, super.key--: __jsbSuperUpdate(home, key, this, 1, prefix). */
	function superIncrement(member, code, home, receiver) {
		var up = member.parent, tail = ', ' + receiver + ', ' + (up.operator === '++' ? 1 : -1) + ', ' + up.prefix + ')';
		if (member.computed) {
			code.overwrite(up.start, member.property.start, '__jsbSuperUpdate(' + home + ', ');
			code.overwrite(member.property.end, up.end, tail);
		} else {
			code.overwrite(up.start, up.end, '__jsbSuperUpdate(' + home + ', ' + JSON.stringify(member.property.name) + tail);
		}
	}

	/* super.m(args) in an object literal's method:
	 * __jsbSuperGet(home, "m", this).call(this, args). */
	function superMethodCall(member, code, home, receiver) {
		var call = member.parent;
		if (member.computed) {
			code.overwrite(member.start, member.property.start, '__jsbSuperGet(' + home + ', ');
			code.overwrite(member.property.end, member.end, ', ' + receiver + ').call');
		} else {
			code.overwrite(member.start, member.end, '__jsbSuperGet(' + home + ', ' +
				JSON.stringify(member.property.name) + ', ' + receiver + ').call');
		}
		if (call.arguments.length)
			code.appendLeft(call.arguments[0].start, receiver + ', ');
		else
			code.appendLeft(call.end - 1, receiver);
	}

	/* super(...) is rewritten by its call; super.m(...) in a class stays
	 * Bublé's Home.m.call(this, ...).  A read, assignment or update of
	 * super.key goes through __jsbSuperGet/__jsbSuperSet (polyfill.js),
	 * which run an accessor on `this`, not on the prototype Bublé names. */
	Super.prototype.transpile = function (code, transforms) {
		if (this.isCalled)
			return;
		var member = this.parent, up = member.parent;
		var home = this.jsbHome || (this.method.static ? this.superClassName : this.superClassName + '.prototype');
		var receiver = this.thisAlias || 'this';
		var called = up.type === 'CallExpression' && up.callee === member;
		if (called && this.jsbHome) {
			superMethodCall(member, code, home, receiver);
			return;
		}
		if (!this.isMember || member.optional || called || (up.type === 'AssignmentExpression' && up.left === member &&
		    /^(\|\||&&|\?\?)=$/.test(up.operator))) {
			superTranspile.call(this, code, transforms);
			return;
		}
		if (up.type === 'UpdateExpression') {
			superIncrement(member, code, home, receiver);
			return;
		}
		var assign = up.type === 'AssignmentExpression' && up.left === member;
		if (assign && up.operator !== '=') {
			superCompound(member, code, home, receiver);
			return;
		}
		var head = (assign ? '__jsbSuperSet(' : '__jsbSuperGet(') + home + ', ';
		var tail = ', ' + receiver + (assign ? ', ' : ')');
		var end = assign ? up.right.start : member.end;
		if (member.computed) {
			code.overwrite(member.start, member.property.start, head);
			code.overwrite(member.property.end, end, tail);
		} else {
			code.overwrite(member.start, end, head + JSON.stringify(member.property.name) + tail);
		}
		if (assign)
			code.appendLeft(up.right.end, ')');
	};

	/* super.key **= value is superCompound's; Bublé's Math.pow rewrite
	 * would name the key's object, which super is not. */
	var Assign = types.AssignmentExpression;
	var assignTranspile = Assign.prototype.transpile;
	Assign.prototype.transpile = function (code, transforms) {
		if (this.operator === '**=' && this.left.type === 'MemberExpression' && this.left.object.type === 'Super')
			Node.prototype.transpile.call(this, code, transforms);
		else
			assignTranspile.call(this, code, transforms);
	};

	/* An object literal whose methods use super is held in a variable as
	 * it is made: (home = {...}). */
	var ObjectExpr = types.ObjectExpression;
	var objectTranspile = ObjectExpr.prototype.transpile;
	ObjectExpr.prototype.transpile = function (code, transforms) {
		if (this.jsbHome) {
			code.prependRight(this.start, '(' + this.jsbHome + ' = ');
			code.appendLeft(this.end, ')');
		}
		objectTranspile.call(this, code, transforms);
	};

	/* The arguments of a call as an array expression. */
	function argumentArray(call, code) {
		var args = call.arguments;
		if (!args.some(function (a) { return a.type === 'SpreadElement'; }))
			return '[' + code.slice(args[0].start, args[args.length - 1].end) + ']';
		return '[].concat(' + args.map(function (a) {
			return a.type === 'SpreadElement'
				? '__jsbIter(' + code.slice(a.argument.start, a.argument.end) + ')'
				: '[' + code.slice(a.start, a.end) + ']';
		}).join(', ') + ')';
	}

	/* super(a, b) -> (this$1 = __jsbSuperCall(B, this$1, [a, b], new.target)) */
	function superCall(call, code) {
		var body = call.findLexicalBoundary(), alias = body.getThisAlias();
		var args = call.arguments.length ? argumentArray(call, code) : '[]';
		var text = alias + ' = ' + __jsbFieldsOf(call.findNearest('ClassBody').parent, '__jsbSuperCall(' +
			call.callee.superClassName + ', ' + alias + ', ' + args + ', ' + (call.jsbNewTarget || 'new.target') + ')');
		if (call.parent.type !== 'ExpressionStatement')
			text = '(' + text + ')';
		code.overwrite(call.start, call.end, text + breaks(code, call.start, call.end));
	}

	var Call = types.CallExpression;
	var callInitialise = Call.prototype.initialise, callTranspile = Call.prototype.transpile;
	Call.prototype.initialise = function (transforms) {
		this.jsbSuperCall = this.callee.type === 'Super';
		if (this.jsbSuperCall)
			this.jsbNewTarget = newTargetAlias(this);
		(this.jsbSuperCall ? Node.prototype.initialise : callInitialise).call(this, transforms);
	};
	Call.prototype.transpile = function (code, transforms) {
		if (!this.jsbSuperCall)
			return callTranspile.call(this, code, transforms);
		Node.prototype.transpile.call(this, code, transforms);
		if (this.callee.superClassName)
			superCall(this, code);
	};

	/* new.target of a class's constructor: the engine's, or when super()
	 * called it, the derived class's. */
	function ctorNewTarget() {
		return '(new.target || __jsbSuperTarget(this))';
	}

	/* In an arrow function, the name of a variable of the function around
	 * it that holds that function's new.target (made at its start); else
	 * null. */
	function newTargetAlias(node) {
		var body = node.findLexicalBoundary(), arrow = node.findNearest(/^ArrowFunctionExpression$/);
		if (!arrow || arrow.depth <= body.depth || body.type === 'Program')
			return null;
		if (!body.jsbNewTarget)
			body.jsbNewTarget = body.scope.createIdentifier('newTarget');
		return body.jsbNewTarget;
	}

	var Meta = types.MetaProperty;
	var metaInitialise = Meta.prototype.initialise;
	Meta.prototype.initialise = function (transforms) {
		metaInitialise.call(this, transforms);
		if (this.meta.name === 'new')
			this.jsbAlias = newTargetAlias(this);
	};
	Meta.prototype.transpile = function (code) {
		if (this.meta.name !== 'new')
			return;
		if (this.jsbAlias)
			code.overwrite(this.start, this.end, this.jsbAlias);
		else if (ctorOf(this.findLexicalBoundary()))
			code.overwrite(this.start, this.end, ctorNewTarget());
	};

	function isUseStrict(node) {
		return node && node.type === 'ExpressionStatement' && node.expression.value === 'use strict';
	}

	var blockTranspile = Block.prototype.transpile;
	Block.prototype.transpile = function (code, transforms) {
		if (this.jsbNewTarget) {
			var start = isUseStrict(this.body[0]) ? this.body[0].end : this.start + 1;
			code.appendLeft(start, ' var ' + this.jsbNewTarget + ' = ' +
				(ctorOf(this) ? ctorNewTarget() : 'new.target') + ';');
		}
		blockTranspile.call(this, code, transforms);
	};

	/* A bare `return` in a derived constructor returns its object. */
	var Return = types.ReturnStatement;
	var returnTranspile = Return.prototype.transpile;
	Return.prototype.transpile = function (code, transforms) {
		returnTranspile.call(this, code, transforms);
		var fn = this.nearestFunction;
		if (!this.argument && fn && fn.type === 'FunctionExpression' && fn.body.jsbDerived && !this.shouldWrap)
			code.appendLeft(this.start + 6, ' ' + fn.body.getThisAlias());
	};
}

/* The first statements of the constructor of the class node: class code
 * is strict, a class cannot be called without `new` (super() calls it
 * with the derived object), and a base class's instance fields are
 * defined first. */
function __jsbCtorStart(node) {
	var name = node.name;
	return "'use strict'; if (!(this instanceof " + name + ')) { throw new TypeError("Class constructor ' +
		__jsbClassName(node) + ' cannot be invoked without \'new\'"); } ' +
		(node.superClass || !node.body.jsbFields ? '' : __jsbFieldsOf(node, 'this') + '; ');
}

/* The object text obj of the class node, with its instance fields. */
function __jsbFieldsOf(node, obj) {
	var list = node.body.jsbFields;
	return list ? '__jsbFieldInit(' + obj + ', ' + list + ')' : obj;
}

/* The implicit constructor of the subclass node of superclass superName. */
function __jsbImplicitSuper(node, superName) {
	return ' ' + __jsbCtorStart(node) + 'return ' +
		__jsbFieldsOf(node, '__jsbSuperCall(' + superName + ', this, arguments, new.target)') + '; }';
}

/* Where an object literal's property goes in Bublé's translation of one
 * with computed keys (`obj.` or `obj`, before the key), or for an
 * accessor, the start of Object.defineProperty(obj, key, ...). */
function __jsbPropertyTarget(prop, obj, rest) {
	return prop.kind === 'get' || prop.kind === 'set' ? 'Object.defineProperty(' + obj + ', ' : obj + rest;
}

/* get [k]() {} -> k, { get: function () {}, enumerable: true, configurable: true }) */
function __jsbObjectAccessor(code, prop) {
	var key = prop.key;
	var start = prop.computed ? code.original.lastIndexOf('[', key.start) + 1 : key.start;
	code.overwrite(prop.start, start, '', { contentOnly: true });
	if (!prop.computed && key.type === 'Identifier')
		code.overwrite(key.start, key.end, JSON.stringify(key.name), { contentOnly: true });
	var text = ', { ' + prop.kind + ': function ';
	if (key.end < prop.value.start)
		code.overwrite(key.end, prop.value.start, text, { contentOnly: true });
	else
		code.prependRight(prop.value.start, text);
	code.appendLeft(prop.end, ', enumerable: true, configurable: true })');
}

/* The name of the class node as ES2015 gives it: its own, or for an
 * anonymous class expression the name of what it is assigned to
 * (a variable, a parameter's default, a property), or "". */
function __jsbClassName(node) {
	var p = node.parent;
	if (node.id || node.type === 'ClassDeclaration')
		return node.name;
	if (p.type === 'VariableDeclarator' && p.init === node && p.id.type === 'Identifier')
		return p.id.name;
	if ((p.type === 'AssignmentExpression' && p.operator === '=' || p.type === 'AssignmentPattern') &&
	    p.right === node && p.left.type === 'Identifier')
		return p.left.name;
	if (p.type === 'Property' && p.value === node && !p.computed && p.kind === 'init')
		return p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
	return '';
}
