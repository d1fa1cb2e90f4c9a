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
