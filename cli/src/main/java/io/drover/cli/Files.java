package io.drover.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

final class Files {
    private Files() {}

    static void deleteRecursively(File dir) throws IOException {
        if (!dir.exists()) {
            return;
        }
        java.nio.file.Files.walkFileTree(
                dir.toPath(),
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                            throws IOException {
                        java.nio.file.Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e)
                            throws IOException {
                        java.nio.file.Files.delete(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }
}
