export function writeSection(section: string, file?: string): void;
