/* The temporal dead zone of let, const and parameters, for the transpiler
 * heap: Bublé turns them into vars, which read undefined before their
 * declaration runs.  __jsbTemporal(types) installs the bookkeeping on Bublé's
 * node types and returns mark(program), run between initialise and
 * transpile, and use(identifier, code), which writes a marked use.  As Babel does: a reference certainly before the binding's
 * initialisation in the same function becomes __jsbTdz("x") (throws a
 * ReferenceError); one in a function that may run before it (a hoisted
 * declaration, or a function written before it) is checked at run time
 * against __jsbTdz, the value the binding holds until initialised; every
 * other reference is left as it is.  Each step is linear in the tree. */
function __jsbTemporal(types) {
	'use strict';

	/* A function, or what runs like one later: an instance field's
	 * initialiser (a static one runs where its class is). */
	function isFunction(node) {
		var type = node.type;
		return type === 'FunctionExpression' || type === 'ArrowFunctionExpression' || type === 'FunctionDeclaration' ||
		       (type === 'PropertyDefinition' && !node.static);
	}

	/* The innermost function (or the root) around node, remembered along
	 * the path, with depth and a skip pointer for ancestorAt(). */
	function fnOf(node) {
		var p = node.parent;
		while (p.jsbFn === undefined && p.type !== 'Root' && !isFunction(p))
			p = p.parent;
		var fn = p.jsbFn !== undefined ? p.jsbFn : p;
		for (p = node.parent; p.jsbFn === undefined && p !== fn; p = p.parent)
			p.jsbFn = fn;
		if (fn.jsbDepth === undefined)
			link(fn);
		return fn;
	}

	/* Depth and skip pointer (Myers' skew jumps: ancestorAt is logarithmic). */
	function link(fn) {
		if (fn.type === 'Root') {
			fn.jsbDepth = 0;
			fn.jsbUp = fn.jsbJump = null;
			return;
		}
		var up = fnOf(fn);
		fn.jsbDepth = up.jsbDepth + 1;
		fn.jsbUp = up;
		var j = up.jsbJump;
		fn.jsbJump = j && j.jsbJump && up.jsbDepth - j.jsbDepth === j.jsbDepth - j.jsbJump.jsbDepth
			? j.jsbJump : up;
	}

	/* fn's enclosing function at depth (<= fn's). */
	function ancestorAt(fn, depth) {
		while (fn.jsbDepth > depth)
			fn = fn.jsbJump.jsbDepth >= depth ? fn.jsbJump : fn.jsbUp;
		return fn;
	}

	function within(node, outer) {
		return outer && node.start >= outer.start && node.end <= outer.end;
	}

	/* Where each name of a pattern is initialised: after its element, or
	 * after the outermost default around it (which runs first). */
	function initPoints(pattern, end, out) {
		switch (pattern.type) {
		case 'Identifier':
			pattern.jsbBinding = true;
			out.push({ id: pattern, end: end || pattern.end });
			break;
		case 'AssignmentPattern':
			initPoints(pattern.left, end || pattern.end, out);
			break;
		case 'ObjectPattern':
			pattern.properties.forEach(function (p) {
				initPoints(p.type === 'Property' ? p.value : p, end, out);
			});
			break;
		case 'ArrayPattern':
			pattern.elements.forEach(function (e) {
				if (e)
					initPoints(e, end, out);
			});
			break;
		case 'RestElement':
			initPoints(pattern.argument, end, out);
			break;
		}
		return out;
	}

	/* Where a function is created: a declaration at the start of its
	 * block, where it is hoisted to. */
	function created(fn) {
		return fn.type === 'FunctionDeclaration' ? fn.parent.start : fn.start;
	}

	/* The first place a function declaration may be called from: its
	 * earliest use outside itself, a use in another function counting from
	 * where that function is created (or 0 for a declaration: unknown). */
	function firstUse(fn) {
		if (fn.jsbFirstUse !== undefined)
			return fn.jsbFirstUse;
		var first = -1, scope = fn.id && fn.findScope(true), decl = scope && scope.declarations[fn.id.name];
		if (decl && decl.node === fn.id) {
			var home = fnOf(fn);
			first = Infinity;
			decl.instances.forEach(function (use) {
				if (within(use, fn))
					return;
				var f = fnOf(use), at = use.start;
				if (f !== home) {
					f = ancestorAt(f, home.jsbDepth + 1);
					at = f.type === 'FunctionDeclaration' ? -1 : f.start;
				}
				first = Math.min(first, at);
			});
		}
		fn.jsbFirstUse = first;
		return first;
	}

	/* Whether a function inside decl's may run before the name is
	 * initialised at `end` (caseNode: the switch case declaring it). */
	function mayRunEarly(fn, end, caseNode) {
		if (caseNode && !within(fn, caseNode))
			return true;
		return created(fn) < end && (fn.type !== 'FunctionDeclaration' || firstUse(fn) < end);
	}

	/* "static", "check" or nothing for a use (in function f) of a name
	 * declared by decl in function home, in list, initialised at end. */
	function status(use, f, decl, list, end, home) {
		if (f === home) {
			if (use.start < end || within(use, decl.init) || (list.left === decl.parent && within(use, list.right)))
				return 'static';
			return list.type === 'SwitchCase' && !within(use, list) ? 'check' : null;
		}
		return mayRunEarly(ancestorAt(f, home.jsbDepth + 1), end,
		                   list.type === 'SwitchCase' ? list : null) ? 'check' : null;
	}

	/* The statement list (or loop) a declarator's or class's name is in. */
	function listOf(decl) {
		return decl.type === 'ClassDeclaration' ? decl.parent : decl.parent.parent;
	}

	/* Marks the uses of one lexical declaration's names (a class's inside
	 * its body are its own binding's). */
	function markDeclarator(decl, scope) {
		var home = fnOf(decl), list = listOf(decl), checked = [], isClass = decl.type === 'ClassDeclaration';
		var points = isClass || decl.id.type === 'Identifier' ? [{ id: decl.id, end: decl.end }] : initPoints(decl.id, 0, []);
		var sentinel = list.type === 'BlockStatement' || list.type === 'Program' || list.type === 'SwitchCase';
		decl.id.jsbBinding = true;
		for (var i = 0; i < points.length; i++) {
			var d = scope.declarations[points[i].id.name], end = points[i].end, wanted = false;
			if (!d || d.node !== points[i].id)
				continue;
			for (var k = 0, uses = d.instances; k < uses.length; k++) {
				var use = uses[k];
				if (use.jsbBinding || (isClass && within(use, decl.body)))
					continue;
				var f = use.parent.jsbFn !== undefined ? use.parent.jsbFn : fnOf(use);
				var s = f === home && use.start >= end && use.start >= decl.end && list.type !== 'SwitchCase' && !list.right
					? null : status(use, f, decl, list, end, home);
				if (s === 'check' && !sentinel)
					s = null;
				if (s) {
					use.jsbTdz = s;
					use.jsbTdzDecl = d;
					wanted = wanted || s === 'check';
				}
			}
			if (wanted)
				checked.push(d);
		}
		if (checked.length)
			decl.jsbSentinels = checked;
	}

	/* Marks the uses of parameters in the parameters up to theirs
	 * (Bublé resolves a default's names outside the function, so they are
	 * found by a walk of the parameters, which stops at functions: a use in
	 * one is not checked). */
	function markParams(fn) {
		var ends = Object.create(null);
		fn.params.forEach(function (param) {
			initPoints(param, 0, []).forEach(function (point) {
				ends[point.id.name] = point.end;
			});
		});
		function walk(node) {
			if (!node || typeof node.type !== 'string' || isFunction(node))
				return;
			var parent = node.parent;
			if (node.type === 'Identifier' && !node.jsbBinding && node.start < ends[node.name] &&
			    !((parent.type === 'MemberExpression' || parent.type === 'Property') && !parent.computed &&
			      node !== (parent.type === 'Property' ? parent.value : parent.object))) {
				node.jsbTdz = 'static';
				node.jsbTdzDecl = { name: node.name, node: node };
			}
			for (var i = 0, keys = node.keys || []; i < keys.length; i++)
				[].concat(node[keys[i]]).forEach(walk);
		}
		fn.params.forEach(function (param) {
			if (param.type !== 'Identifier')
				walk(param);
		});
	}

	function throwText(name) {
		return '__jsbTdz("' + name + '")';
	}

	/* Where statements can go first in the list declaring decl. */
	function listStart(list) {
		var body = list.body, at = list.type === 'Program' || list.parent.type === 'Root' ? list.start : list.start + 1;
		for (var i = 0; i < body.length && body[i].directive; i++)
			at = body[i].end;
		return at;
	}

	function setSentinels(decl, code) {
		var list = listOf(decl), text = decl.jsbSentinels.map(function (d) {
			return d.name + ' = __jsbTdz';
		});
		if (list.type === 'SwitchCase') {
			var d = list.parent.discriminant;
			code.prependRight(d.start, '(' + text.join(', ') + ', ');
			code.appendLeft(d.end, ')');
		} else {
			code.appendLeft(listStart(list), ' ' + text.join('; ') + ';');
		}
	}

	/* "void 0, " in front of a rewrite that would start a statement with
	 * "(", which after a line without a semicolon would call its end. */
	function lead(node) {
		var start = node.start;
		while (node.parent.start === start && node.parent.type !== 'ExpressionStatement' && node.parent.type !== 'Root')
			node = node.parent;
		return node.parent.type === 'ExpressionStatement' && node.parent.start === start ? 'void 0, ' : '';
	}

	/* A name a pattern or a for-in/of head assigns: only a certain error
	 * is written there (as a member expression, which can be assigned). */
	function patternTarget(id, parent) {
		return ((parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && parent.left === id) ||
		       parent.type === 'ArrayPattern' || parent.type === 'RestElement' ||
		       (parent.type === 'AssignmentPattern' && parent.left === id) ||
		       (parent.type === 'Property' && parent.value === id && parent.parent.type === 'ObjectPattern');
	}

	function shorthand(id, code) {
		var parent = id.parent;
		if (parent.type === 'Property' && parent.shorthand) {
			parent.shorthand = false;
			code.prependLeft(id.start, id.name + ': ');
		}
	}

	function transpileUse(id, code) {
		var d = id.jsbTdzDecl, parent = id.parent, name = d.node.name;
		var assigned = parent.type === 'AssignmentExpression' && parent.left === id;
		var write = assigned || parent.type === 'UpdateExpression';
		if (assigned && !/^[-+*/%<>&|^]*=$/.test(parent.operator))
			return;
		if (patternTarget(id, parent)) {
			if (id.jsbTdz === 'static' && parent.type !== 'Property' && parent.type !== 'AssignmentPattern' &&
			    parent.type !== 'ArrayPattern' && parent.type !== 'RestElement')
				code.overwrite(id.start, id.end, throwText(name) + '.v', { contentOnly: true });
			return;
		}
		if (id.jsbTdz === 'static') {
			shorthand(id, code);
			code.overwrite(id.start, id.end, throwText(name) + (write ? '.v' : ''), { contentOnly: true });
		} else if (write) {
			code.prependRight(parent.start, lead(parent) + '(' + d.name + ' === __jsbTdz && ' + throwText(name) + ', ');
			code.appendLeft(parent.end, ')');
		} else {
			shorthand(id, code);
			code.prependRight(id.start, lead(id) + '(' + d.name + ' === __jsbTdz ? ' + throwText(name) + ' : ');
			code.appendLeft(id.end, ')');
		}
	}

	var Declarator = types.VariableDeclarator, declInit = Declarator.prototype.initialise,
	    declTranspile = Declarator.prototype.transpile;
	Declarator.prototype.initialise = function (transforms) {
		declInit.call(this, transforms);
		if (this.parent.kind !== 'var')
			(this.program.jsbLexical || (this.program.jsbLexical = [])).push(this);
	};
	Declarator.prototype.transpile = function (code, transforms) {
		if (this.jsbSentinels) {
			setSentinels(this, code);
			/* `let x;` sets undefined over the sentinel (Bublé does in a loop). */
			var loop = this.findNearest(/Function|^For(In|Of)?Statement|^(?:Do)?WhileStatement/);
			if (!this.init && (!loop || /Function/.test(loop.type)))
				code.appendLeft(this.id.end, ' = void 0');
		}
		declTranspile.call(this, code, transforms);
	};

	var Class = types.ClassDeclaration, classInit = Class.prototype.initialise,
	    classTranspile = Class.prototype.transpile;
	Class.prototype.initialise = function (transforms) {
		classInit.call(this, transforms);
		if (this.id)
			(this.program.jsbLexical || (this.program.jsbLexical = [])).push(this);
	};
	Class.prototype.transpile = function (code, transforms) {
		if (this.jsbSentinels)
			setSentinels(this, code);
		classTranspile.call(this, code, transforms);
	};

	['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'].forEach(function (type) {
		var init = types[type].prototype.initialise;
		types[type].prototype.initialise = function (transforms) {
			init.call(this, transforms);
			for (var i = 0; i < this.params.length; i++) {
				if (this.params[i].type !== 'Identifier') {
					(this.program.jsbParams || (this.program.jsbParams = [])).push(this);
					break;
				}
			}
		};
	});

	function mark(program) {
		(program.jsbLexical || []).forEach(function (decl) {
			markDeclarator(decl, decl.type === 'ClassDeclaration' ? decl.findScope(false) : decl.parent.scope);
		});
		(program.jsbParams || []).forEach(markParams);
	}

	/* Bublé's Identifier.transpile calls use() for a marked identifier
	 * (a wrapper would cost a call for every identifier). */
	return { mark: mark, use: transpileUse };
}
