import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { projectDir, sharedDir } from "./support/stackFiles.js";

describe("Pulumi.yaml", () => {
    it("validates against Pulumi's project schema", () => {
        const schema: unknown = JSON.parse(fs.readFileSync(path.join(sharedDir, "specs/pulumi-project.schema.json"), "utf8"));
        if (typeof schema !== "object" || schema === null) throw new Error("schema unreadable");
        const ajv = new Ajv2020({ strict: false, allErrors: true });
        const validate = ajv.compile(schema);
        const project: unknown = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"));
        expect(validate(project), JSON.stringify(validate.errors)).toBe(true);
    });

    it("loads compiled JS without a type-check at load, from the path the build writes", () => {
        const project: unknown = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"));
        expect(project).toMatchObject({ runtime: { name: "nodejs", options: { typescript: false } } });
        const pkg: unknown = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8"));
        expect(pkg).toMatchObject({ main: "dist/index.js", scripts: { prepare: "npm run build" } });
        const tsconfig: unknown = JSON.parse(fs.readFileSync(path.join(projectDir, "tsconfig.json"), "utf8"));
        expect(tsconfig).toMatchObject({ compilerOptions: { outDir: "dist", rootDir: "." } });
    });
});

describe("package.json", () => {
    const pkg: unknown = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8"));

    it("declares Node ≥ 22, pins every dependency and keeps the typescript package at 6.x", () => {
        expect(pkg).toMatchObject({ engines: { node: ">=22" } });
        if (typeof pkg !== "object" || pkg === null || !("dependencies" in pkg) || !("devDependencies" in pkg)) throw new Error("no dependencies");
        const all = { ...Object(pkg.dependencies), ...Object(pkg.devDependencies) };
        for (const [name, version] of Object.entries(all)) expect(String(version), name).toMatch(/^(npm:[^@]+@)?\d+\.\d+\.\d+$/);
        expect(String(all["typescript"])).toMatch(/^6\./);
        expect(String(all["node"])).toMatch(/^24\./);
    });
});
