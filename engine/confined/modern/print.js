/* An ES5 printer for the generator transform's output that keeps lines:
 * before a node that came from the source it starts new lines until the
 * node is on its own line again, so run-time errors inside a rewritten
 * function name the user's line.  The transform moves some code (hoisted
 * declarations) ahead of code above it; lines only grow, so the printer
 * follows the longest run of nodes whose lines do not decrease in the
 * order it prints them, and lets the others be.  Prints ES5 only (what
 * buble and the transform leave) and puts parentheses around every
 * compound operand, which is always correct, if not pretty.
 * __jsbPrint(node, line) -> { code, line }: node printed from line on. */
var __jsbPrint = (function () {
	'use strict';
	var TOP = 0, ASSIGN = 1, OPERAND = 2;
	var PRIMARY = {
		Identifier: 1, Literal: 1, ThisExpression: 1, ArrayExpression: 1, ObjectExpression: 1,
		MemberExpression: 1, CallExpression: 1, NewExpression: 1
	};
	var out, line, seen;

	function emit(s) {
		out.push(s);
	}

	/* New lines up to the node's line; on the first pass, notes the node
	 * instead. */
	function reach(n) {
		var l = n.loc && n.loc.start && n.loc.start.line;
		if (seen) {
			if (l)
				seen.push(n);
		} else if (n.__jsbAnchor && l > line) {
			out.push(new Array(l - line + 1).join('\n'));
			line = l;
		}
	}

	function fail(n) {
		throw new Error('generator transform: cannot print ' + n.type);
	}

	function quote(s) {
		return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
	}

	function list(items, sep, ctx) {
		for (var i = 0; i < items.length; i++) {
			if (i)
				emit(sep);
			if (items[i])
				expr(items[i], ctx);
		}
	}

	function params(n) {
		emit('(');
		list(n.params, ', ', ASSIGN);
		emit(') ');
		statement(n.body);
	}

	function fn(n) {
		if (n.generator || n.async || n.type !== 'FunctionExpression' && n.type !== 'FunctionDeclaration' ||
		    n.body.type !== 'BlockStatement')
			fail(n);
		emit(n.id ? 'function ' + n.id.name : 'function ');
		params(n);
	}

	/* Whether callee, after `new`, needs parentheses: any call in it. */
	function callIn(n) {
		return n.type === 'MemberExpression' ? callIn(n.object) : n.type !== 'Identifier' && n.type !== 'ThisExpression';
	}

	function literal(n) {
		if (n.regex)
			emit('/' + n.regex.pattern + '/' + n.regex.flags);
		else if (typeof n.raw === 'string')
			emit(n.raw);
		else if (typeof n.value === 'string')
			emit(quote(n.value));
		else
			emit(String(n.value));
	}

	function property(p) {
		if (p.computed || p.method || p.shorthand)
			fail(p);
		reach(p);
		if (p.kind === 'get' || p.kind === 'set')
			emit(p.kind + ' ');
		if (p.key.type === 'Identifier')
			emit(p.key.name);
		else
			literal(p.key);
		if (p.kind === 'get' || p.kind === 'set') {
			params(p.value);
		} else {
			emit(': ');
			expr(p.value, ASSIGN);
		}
	}

	var EXPRESSIONS = {
		Identifier: function (n) { emit(n.name); },
		Literal: literal,
		ThisExpression: function () { emit('this'); },
		FunctionExpression: fn,
		ArrayExpression: function (n) {
			emit('[');
			list(n.elements, ', ', ASSIGN);
			emit(n.elements.length && !n.elements[n.elements.length - 1] ? ',]' : ']');
		},
		ObjectExpression: function (n) {
			emit('{');
			for (var i = 0; i < n.properties.length; i++) {
				if (i)
					emit(', ');
				property(n.properties[i]);
			}
			emit('}');
		},
		UnaryExpression: function (n) {
			emit(/^[a-z]/.test(n.operator) ? n.operator + ' ' : n.operator);
			expr(n.argument, OPERAND);
		},
		UpdateExpression: function (n) {
			if (n.prefix)
				emit(n.operator);
			expr(n.argument, OPERAND);
			if (!n.prefix)
				emit(n.operator);
		},
		BinaryExpression: function (n) {
			var paren = n.operator === 'in';
			if (paren)
				emit('(');
			expr(n.left, OPERAND);
			emit(' ' + n.operator + ' ');
			expr(n.right, OPERAND);
			if (paren)
				emit(')');
		},
		AssignmentExpression: function (n) {
			expr(n.left, OPERAND);
			emit(' ' + n.operator + ' ');
			expr(n.right, ASSIGN);
		},
		ConditionalExpression: function (n) {
			expr(n.test, OPERAND);
			emit(' ? ');
			expr(n.consequent, ASSIGN);
			emit(' : ');
			expr(n.alternate, ASSIGN);
		},
		CallExpression: function (n) {
			expr(n.callee, OPERAND);
			emit('(');
			list(n.arguments, ', ', ASSIGN);
			emit(')');
		},
		NewExpression: function (n) {
			emit('new ');
			var paren = callIn(n.callee);
			if (paren)
				emit('(');
			expr(n.callee, OPERAND);
			emit(paren ? ')(' : '(');
			list(n.arguments, ', ', ASSIGN);
			emit(')');
		},
		MemberExpression: function (n) {
			var number = n.object.type === 'Literal' && typeof n.object.value === 'number';
			if (number)
				emit('(');
			expr(n.object, OPERAND);
			if (number)
				emit(')');
			if (n.computed) {
				emit('[');
				expr(n.property, TOP);
				emit(']');
			} else {
				emit('.' + n.property.name);
			}
		},
		SequenceExpression: function (n) { list(n.expressions, ', ', ASSIGN); }
	};
	EXPRESSIONS.LogicalExpression = EXPRESSIONS.BinaryExpression;

	function expr(n, ctx) {
		var print = EXPRESSIONS[n.type] || fail(n);
		var paren = ctx === OPERAND ? !PRIMARY[n.type] : ctx === ASSIGN && n.type === 'SequenceExpression';
		reach(n);
		if (paren)
			emit('(');
		print(n);
		if (paren)
			emit(')');
	}

	function body(n) {
		for (var i = 0; i < n.length; i++)
			statement(n[i]);
	}

	function declarations(n) {
		emit(n.kind + ' ');
		for (var i = 0; i < n.declarations.length; i++) {
			var d = n.declarations[i];
			if (i)
				emit(', ');
			reach(d);
			if (d.id.type !== 'Identifier')
				fail(d.id);
			emit(d.id.name);
			if (d.init) {
				emit(' = ');
				expr(d.init, ASSIGN);
			}
		}
	}

	/* A for loop's head part: declarations or an expression. */
	function head(n) {
		if (n && n.type === 'VariableDeclaration')
			declarations(n);
		else if (n)
			expr(n, TOP);
	}

	/* A statement's argument, which must begin on the keyword's line:
	 * in parentheses, after which a line may break. */
	function argument(keyword, n) {
		if (n) {
			emit(keyword + ' (');
			expr(n, TOP);
			emit('); ');
		} else {
			emit(keyword + '; ');
		}
	}

	/* Sub-statement of if: a block, so that an else never dangles. */
	function block(n) {
		if (n.type === 'BlockStatement') {
			statement(n);
		} else {
			emit('{ ');
			statement(n);
			emit(' }');
		}
	}

	var STATEMENTS = {
		Program: function (n) { body(n.body); },
		BlockStatement: function (n) {
			emit('{ ');
			body(n.body);
			emit('}');
		},
		EmptyStatement: function () { emit(';'); },
		DebuggerStatement: function () { emit('debugger;'); },
		ExpressionStatement: function (n) {
			if (n.directive !== undefined)
				return emit(n.expression.raw + ';');
			var at = out.length;
			expr(n.expression, TOP);
			for (var i = at; i < out.length && /^\n*$/.test(out[i]); i++)
				;
			if (/^(function|\{)/.test(out[i])) {
				out.splice(i, 0, '(');
				emit(')');
			}
			emit('; ');
		},
		VariableDeclaration: function (n) {
			declarations(n);
			emit('; ');
		},
		FunctionDeclaration: function (n) {
			fn(n);
			emit(' ');
		},
		ReturnStatement: function (n) { argument('return', n.argument); },
		ThrowStatement: function (n) { argument('throw', n.argument); },
		BreakStatement: function (n) { emit(n.label ? 'break ' + n.label.name + '; ' : 'break; '); },
		ContinueStatement: function (n) { emit(n.label ? 'continue ' + n.label.name + '; ' : 'continue; '); },
		LabeledStatement: function (n) {
			emit(n.label.name + ': ');
			statement(n.body);
		},
		IfStatement: function (n) {
			emit('if (');
			expr(n.test, TOP);
			emit(') ');
			block(n.consequent);
			if (n.alternate) {
				emit(' else ');
				statement(n.alternate);
			}
			emit(' ');
		},
		WithStatement: function (n) {
			emit('with (');
			expr(n.object, TOP);
			emit(') ');
			statement(n.body);
		},
		SwitchStatement: function (n) {
			emit('switch (');
			expr(n.discriminant, TOP);
			emit(') { ');
			for (var i = 0; i < n.cases.length; i++) {
				var c = n.cases[i];
				reach(c);
				if (c.test) {
					emit('case ');
					expr(c.test, TOP);
					emit(': ');
				} else {
					emit('default: ');
				}
				body(c.consequent);
			}
			emit('} ');
		},
		TryStatement: function (n) {
			emit('try ');
			statement(n.block);
			if (n.handler) {
				emit(' catch (' + (n.handler.param ? n.handler.param.name : 'e$') + ') ');
				statement(n.handler.body);
			}
			if (n.finalizer) {
				emit(' finally ');
				statement(n.finalizer);
			}
			emit(' ');
		},
		WhileStatement: function (n) {
			emit('while (');
			expr(n.test, TOP);
			emit(') ');
			statement(n.body);
		},
		DoWhileStatement: function (n) {
			emit('do ');
			block(n.body);
			emit(' while (');
			expr(n.test, TOP);
			emit('); ');
		},
		ForStatement: function (n) {
			emit('for (');
			head(n.init);
			emit('; ');
			if (n.test)
				expr(n.test, TOP);
			emit('; ');
			if (n.update)
				expr(n.update, TOP);
			emit(') ');
			statement(n.body);
		},
		ForInStatement: function (n) {
			emit('for (');
			head(n.left);
			emit(' in ');
			expr(n.right, TOP);
			emit(') ');
			statement(n.body);
		}
	};

	function statement(n) {
		var print = STATEMENTS[n.type] || fail(n);
		reach(n);
		print(n);
	}

	/* Marks the longest subsequence of nodes with non-decreasing lines. */
	function anchor(nodes) {
		var tails = [], prev = [];
		for (var i = 0; i < nodes.length; i++) {
			var l = nodes[i].loc.start.line, lo = 0, hi = tails.length;
			while (lo < hi) {
				var mid = (lo + hi) >> 1;
				if (nodes[tails[mid]].loc.start.line <= l)
					lo = mid + 1;
				else
					hi = mid;
			}
			prev[i] = lo ? tails[lo - 1] : -1;
			tails[lo] = i;
		}
		for (var k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k])
			nodes[k].__jsbAnchor = true;
	}

	function run(node, first) {
		out = [];
		line = first;
		if (STATEMENTS[node.type])
			statement(node);
		else
			expr(node, TOP);
		return { code: out.join(''), line: line };
	}

	return function (node, first) {
		seen = [];
		run(node, first);
		var nodes = seen;
		seen = null;
		anchor(nodes);
		return run(node, first);
	};
})();
