package dev.nuvola.kit.rest;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

/**
 * The id of a guest, host, migration or request as the platform writes them (libvirt domain names, host names,
 * UUIDs): 1 to 255 letters, digits and {@code . _ : @ -}, starting with a letter or digit. The events module
 * allows any 255 characters; an API refuses more, so that whitespace, control characters, slashes and
 * percent-junk never become a database key or a Kafka record key. Null is valid: add {@code @NotNull} where the
 * id is required.
 */
@Documented
@Constraint(validatedBy = {})
@Target({FIELD, PARAMETER, ANNOTATION_TYPE})
@Retention(RUNTIME)
@Pattern(regexp = ResourceId.PATTERN)
@ReportAsSingleViolation
public @interface ResourceId {
    String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}";

    String message() default "must be 1 to 255 letters, digits or . _ : @ -, starting with a letter or digit";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
