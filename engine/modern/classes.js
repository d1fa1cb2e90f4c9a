/* Classes for the transpiler heap: what Bublé's class transform lacks.
 * Called inside Bublé's module after __jsbSyntax, with its Node base
 * class, its table of node types and its BlockStatement type; wraps the
 * node types' methods.  A derived constructor gets its object from
 * __jsbSuperCall (the polyfills), which lets a native superclass (Array,
 * Error, ...) make it: every `this` of the constructor becomes the alias
 * super() assigns, and the constructor returns it.  Inserted code stays
 * on the lines it belongs to. */
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

	var ClassBody = types.ClassBody;
	var bodyTranspile = ClassBody.prototype.transpile;
	ClassBody.prototype.initialise = function (transforms) {
		var ctor = this.body.filter(function (m) { return m.kind === 'constructor'; })[0];
		if (ctor && this.parent.superClass)
			ctor.value.body.jsbDerived = true;
		Node.prototype.initialise.call(this, transforms);
	};
	ClassBody.prototype.transpile = function (code, transforms, inFunctionExpression, superName) {
		var ctor = null;
		this.body.forEach(function (m) {
			if (m.kind === 'constructor')
				ctor = m;
			else
				code.appendLeft(m.value.body.start + 1, " 'use strict';");
		});
		if (ctor) {
			var body = ctor.value.body;
			code.appendLeft(body.start + 1, ' ' + __jsbCtorStart(this.parent));
			if (body.jsbDerived)
				code.prependRight(body.end - 1, '; return ' + body.getThisAlias() + '; ');
		}
		bodyTranspile.call(this, code, transforms, inFunctionExpression, superName);
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
	 * which Bublé makes for a subclass and, when the body uses the name or
	 * the class is in a block that renames it, here for any class), never
	 * the variable the declaration assigns. */
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
		var wrap = !this.superClass && (inner.length || (decl && decl.name !== name));
		declarationTranspile.call(this, code, transforms);
		inner.forEach(function (id) {
			code.overwrite(id.start, id.end, name, { storeName: true });
		});
		if (wrap) {
			code.appendLeft(body.start, '(function () { var ' + name + ' = ');
			code.appendLeft(this.end, ' return ' + name + '; }());');
		}
	};

	/* In a derived constructor, `this` (also in its arrow functions) is
	 * the object super() returned. */
	var This = types.ThisExpression;
	var thisInitialise = This.prototype.initialise;
	This.prototype.initialise = function (transforms) {
		thisInitialise.call(this, transforms);
		var body = derivedBody(this);
		if (body && !this.alias)
			this.alias = body.getThisAlias();
	};

	var Super = types.Super;
	var superInitialise = Super.prototype.initialise, superTranspile = Super.prototype.transpile;
	Super.prototype.initialise = function (transforms) {
		superInitialise.call(this, transforms);
		var body = derivedBody(this);
		if (body)
			this.thisAlias = body.getThisAlias();
	};
	/* super(...) is rewritten by its call. */
	Super.prototype.transpile = function (code, transforms) {
		if (!this.isCalled)
			superTranspile.call(this, code, transforms);
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
		var text = alias + ' = __jsbSuperCall(' + call.callee.superClassName + ', ' + alias + ', ' + args +
			', ' + (call.jsbNewTarget || 'new.target') + ')';
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
 * is strict, and a class cannot be called without `new` (super() calls
 * it with the derived object). */
function __jsbCtorStart(node) {
	var name = node.name, shown = node.id ? node.id.name : name;
	if (node.type === 'ClassExpression' && !node.id && /^anonymous(\$\d+)?$/.test(name))
		shown = '';
	return "'use strict'; if (!(this instanceof " + name + ')) { throw new TypeError("Class constructor ' +
		shown + ' cannot be invoked without \'new\'"); } ';
}
